package io.berth.store;

import io.berth.oci.Digest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The open {@link Lease}s of one daemon, and the lock that orders the store's commits against the
 * {@link GarbageCollector}'s sweep.
 * <p>
 * Every commit into the store (a blob renamed into {@code blobs/}, a snapshot into {@code snapshots/}) and every
 * look-up that decides to reuse stored content ({@code has}, {@code open}) records the digest in each open lease
 * while holding the read side of the lock; the sweep holds the write side from reading the held set to the last
 * deletion. So content is either recorded before the sweep looks (and kept), or removed before the look-up
 * (which then sees it absent and writes it again): an operation never builds on content the collector is
 * removing.
 * <p>
 * A lease held by a dead daemon is over at the next start because leases live only in this object's memory:
 * a {@code kill -9} ends them with the process, and the collector at start sees none.
 * <p>
 * Attribution is deliberately coarse: a digest is recorded in every lease open at that moment, not only in the
 * lease of the operation that touched it. That keeps the calls free of a lease parameter and only ever keeps
 * content longer (until the last of those leases ends), never shorter.
 */
public final class Leases {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Set<Lease> open = ConcurrentHashMap.newKeySet();
    /** Leases closed while a collection marks: what they held was perhaps registered after the mark looked. */
    private final Set<Lease> closedDuringCollection = ConcurrentHashMap.newKeySet();
    /** Collections running now: the GC's sweep and an image's deletion may overlap. */
    private final AtomicInteger collecting = new AtomicInteger();

    /** Opens a lease; close it (try-with-resources) when what the operation wrote is referenced or abandoned. */
    public Lease acquire(String purpose) {
        Lease lease = new Lease(this, purpose);
        open.add(lease);
        return lease;
    }

    void release(Lease lease) {
        if (collecting.get() > 0) {
            closedDuringCollection.add(lease);
        }
        open.remove(lease);
    }

    /**
     * Starts a collection: from here until {@link #endCollection}, a closing lease still counts as held, because
     * the operation may have registered its image after the collector's mark read the image records.
     */
    void beginCollection() {
        collecting.incrementAndGet();
    }

    void endCollection() {
        if (collecting.decrementAndGet() == 0) closedDuringCollection.clear();
    }

    /** Whether any operation holds a lease now (temp files then may belong to it). */
    public boolean anyOpen() {
        return !open.isEmpty();
    }

    /** Records a blob digest in every open lease. */
    void touchBlob(Digest blob) {
        if (open.isEmpty()) {
            return;
        }
        lock.readLock().lock();
        try {
            open.forEach(l -> l.blobs.add(blob));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Records a snapshot chain ID in every open lease. */
    void touchSnapshot(Digest chainId) {
        if (open.isEmpty()) {
            return;
        }
        lock.readLock().lock();
        try {
            open.forEach(l -> l.snapshots.add(chainId));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs a commit (a rename into the store) and the recording of what it committed as one step for the sweep. */
    <T> T committing(Supplier<T> commit) {
        lock.readLock().lock();
        try {
            return commit.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs the sweep with no commit or look-up in between; {@code sweep} gets what open leases hold. */
    <T> T exclusive(Function<Held, T> sweep) {
        lock.writeLock().lock();
        try {
            Set<Digest> blobs = new HashSet<>();
            Set<Digest> snapshots = new HashSet<>();
            for (Set<Lease> leases : List.of(open, closedDuringCollection)) {
                for (Lease l : leases) {
                    blobs.addAll(l.blobs);
                    snapshots.addAll(l.snapshots);
                }
            }
            return sweep.apply(new Held(Set.copyOf(blobs), Set.copyOf(snapshots), !open.isEmpty()));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** What the open leases hold at the moment of a sweep; {@code anyOpen} also protects temp files. */
    record Held(Set<Digest> blobs, Set<Digest> snapshots, boolean anyOpen) {
    }
}
