package io.berth.registry.client;

import io.berth.oci.Descriptor;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.store.ContentStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bytes a push sends for each blob of an image: a stored blob as it is, and a layer stored uncompressed
 * compressed first ({@link LayerCompressor}), unless the registry already has what it compressed to last time
 * ({@link CompressedLayerCache}).
 */
final class PushBlobs {
    /** A blob as pushed (its descriptor for the pushed manifest) and what the upload did. */
    record Pushed(Descriptor descriptor, BlobUpload.Outcome outcome) {}

    private final ContentStore content;
    private final PushCompression compression;
    private final CompressedLayerCache cache;
    private final Path tempDir;

    PushBlobs(ContentStore content, PushCompression compression, CompressedLayerCache cache, Path tempDir) {
        this.content = content;
        this.compression = compression;
        this.cache = cache;
        this.tempDir = tempDir;
    }

    /**
     * @param manifestMediaType the image manifest's type, which decides a compressed layer's type
     * @param mountFrom         a repository path on the same registry that has the stored blob (or what it
     *                          compressed to), or null
     */
    Pushed push(BlobUpload upload, Descriptor stored, String manifestMediaType, String mountFrom, String id,
                ProgressListener listener) {
        long size = content.size(stored.digest());
        if (size != stored.size()) {
            throw new InvalidArgumentException("blob " + stored.digest() + " is " + size + " bytes in the store but "
                    + stored.size() + " in the manifest");
        }
        if (!compression.compresses(stored.mediaType())) {
            return new Pushed(stored, upload.push(stored, () -> content.path(stored.digest()), mountFrom, id, listener));
        }
        String type = compression.layerMediaType(manifestMediaType);
        Optional<CompressedLayerCache.Entry> known = cache.get(stored.digest(), compression);
        if (known.isPresent()) {
            // what the layer compressed to before: the registry is asked for it (and a mount tried) before anything
            // is compressed again
            Descriptor pushed = compressed(stored, type, known.get());
            try (Compression lazy = new Compression(stored, known.get())) {
                return new Pushed(pushed, upload.push(pushed, lazy::file, mountFrom, id, listener));
            } catch (StaleEntry e) {
                // compressed to other bytes than recorded: pushed below as a fresh compression
            }
        }
        try (Compression fresh = new Compression(stored, null)) {
            Path file = fresh.file();
            Descriptor pushed = compressed(stored, type, fresh.entry());
            return new Pushed(pushed, upload.push(pushed, () -> file, mountFrom, id, listener));
        }
    }

    /** The cache entry was not what the layer compresses to now. */
    private static final class StaleEntry extends RuntimeException {
        StaleEntry() {
            super(null, null, false, false);
        }
    }

    /** One layer's compression, made on first use, recorded in the cache, and its file deleted on close. */
    private final class Compression implements AutoCloseable {
        private final Descriptor stored;
        private final CompressedLayerCache.Entry expected;
        private LayerCompressor.Compressed done;

        /** @param expected the cached entry the result must match, or null to take any result */
        Compression(Descriptor stored, CompressedLayerCache.Entry expected) {
            this.stored = stored;
            this.expected = expected;
        }

        Path file() {
            if (done == null) {
                done = LayerCompressor.compress(content.path(stored.digest()), compression, tempDir);
                CompressedLayerCache.Entry entry = entry();
                cache.put(stored.digest(), compression, entry);
                if (expected != null && !expected.equals(entry)) throw new StaleEntry();
            }
            return done.file();
        }

        CompressedLayerCache.Entry entry() {
            return new CompressedLayerCache.Entry(done.digest(), done.size());
        }

        @Override
        public void close() {
            if (done == null) return;
            try {
                Files.deleteIfExists(done.file());
            } catch (IOException ignored) {
                // swept with the partial downloads
            }
        }
    }

    private static Descriptor compressed(Descriptor stored, String type, CompressedLayerCache.Entry entry) {
        return new Descriptor(type, entry.digest(), entry.size(), stored.annotations(), stored.platform());
    }
}
