package io.berth.registry.client;

import io.berth.oci.Descriptor;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.store.ContentStore;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bytes a push sends for each blob of an image: a stored blob as it is, and a layer stored uncompressed
 * compressed on the way up ({@link LayerCompressor} writing into {@link BlobUpload#stream}: the upload runs beside
 * the compression, nothing is written to disk), unless the registry already has what it compressed to last time
 * ({@link CompressedLayerCache}, asked with a HEAD and a mount before anything is compressed).
 */
final class PushBlobs {
    /** A blob as pushed (its descriptor for the pushed manifest) and what the upload did. */
    record Pushed(Descriptor descriptor, BlobUpload.Outcome outcome) {}

    private final ContentStore content;
    private final PushCompression compression;
    private final CompressedLayerCache cache;

    PushBlobs(ContentStore content, PushCompression compression, CompressedLayerCache cache) {
        this.content = content;
        this.compression = compression;
        this.cache = cache;
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
        Path file = content.path(stored.digest());
        if (!compression.compresses(stored.mediaType())) {
            return new Pushed(stored, upload.push(stored, file, mountFrom, id, listener));
        }
        String type = compression.layerMediaType(manifestMediaType);
        Optional<CompressedLayerCache.Entry> known = cache.get(stored.digest(), compression);
        // what the layer compressed to before: the registry is asked for it (and a mount tried) first
        URI location;
        switch (upload.open(known.map(k -> compressed(stored, type, k)).orElse(null), mountFrom, id, listener)) {
            case BlobUpload.Start.Done(BlobUpload.Outcome outcome) -> {
                return new Pushed(compressed(stored, type, known.orElseThrow()), outcome);
            }
            case BlobUpload.Start.Open(URI at) -> location = at;
        }
        ByteProgress progress = id == null ? null : new ByteProgress(listener, id, "Pushing", 0, size);
        ChunkedUploadStream.Uploaded uploaded = upload.stream(location, out -> {
            try (InputStream layer = FileSliceStream.open(file, 0, size, progress)) {
                LayerCompressor.compress(layer, compression, out);
            }
        }, "layer " + stored.digest().shortId(), id, listener);
        CompressedLayerCache.Entry entry = new CompressedLayerCache.Entry(uploaded.digest(), uploaded.size());
        cache.put(stored.digest(), compression, entry);
        return new Pushed(compressed(stored, type, entry), BlobUpload.Outcome.UPLOADED);
    }

    private static Descriptor compressed(Descriptor stored, String type, CompressedLayerCache.Entry entry) {
        return new Descriptor(type, entry.digest(), entry.size(), stored.annotations(), stored.platform());
    }
}
