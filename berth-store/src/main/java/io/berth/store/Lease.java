package io.berth.store;

import io.berth.oci.Digest;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One operation's claim on the content it writes or reuses (containerd's lease): while it is open the
 * {@link GarbageCollector} keeps every blob and snapshot recorded in it, referenced or not. An operation opens
 * one before its first write and closes it once the image record (or whatever references the content) is
 * written, or the operation failed; after that, unreferenced content is garbage. See {@link Leases}.
 */
public final class Lease implements AutoCloseable {
    private final Leases owner;
    private final String purpose;
    final Set<Digest> blobs = ConcurrentHashMap.newKeySet();
    final Set<Digest> snapshots = ConcurrentHashMap.newKeySet();

    Lease(Leases owner, String purpose) {
        this.owner = owner;
        this.purpose = purpose;
    }

    public String purpose() {
        return purpose;
    }

    @Override
    public void close() {
        owner.release(this);
    }
}
