package io.berth.store;

import io.berth.oci.Digest;

/**
 * One reference from something that keeps store content alive (an image record, a container, a build cache
 * record) to what it needs; the {@link GarbageCollector} marks from these and {@code system check} verifies them.
 *
 * @param owner    who refers, for reports ("image sha256:…", "container web", "build cache")
 * @param kind     what {@code digest} names
 * @param required whether the target must exist: a build cache record whose blobs were removed is only a cache
 *                 miss, and a snapshot that was never unpacked is unpacked on first use
 */
public record StoreReference(String owner, Kind kind, Digest digest, boolean required) {

    /** What a reference names; a manifest also keeps its config and layers, and the snapshots of those layers. */
    public enum Kind { IMAGE, MANIFEST, BLOB, SNAPSHOT }
}
