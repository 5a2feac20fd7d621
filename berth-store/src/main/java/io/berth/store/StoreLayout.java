package io.berth.store;

import io.berth.oci.Digest;

import java.nio.file.Path;

/**
 * Where everything lives under the store root (e.g. /var/lib/berth):
 * <pre>
 * &lt;root&gt;/
 * ├── blobs/
 * │   └── sha256/
 * │       ├── &lt;hex&gt;                 content-addressed blobs: layers, configs, manifests (read-only)
 * │       └── .tmp-&lt;random&gt;         blob being written; renamed to &lt;hex&gt; once fsynced and verified
 * ├── snapshots/
 * │   ├── &lt;chainIdHex&gt;/           one unpacked layer = one overlay lowerdir, shared by all images
 * │   ├── &lt;chainIdHex&gt;.json       its {@link SnapshotRecord} (diff ID, layer blob), written before the rename
 * │   └── .tmp-&lt;chainIdHex&gt;-&lt;n&gt;/  layer being unpacked; renamed when complete (.tmp-rm-: being deleted)
 * ├── images/
 * │   └── &lt;idHex&gt;.json            one image record (id = sha256 of its config blob)
 * ├── repositories.json            tags: canonical reference -&gt; image id
 * ├── downloads/                   partial blob downloads a later pull resumes (the registry client's)
 * └── tmp/                         scratch space for archive loads (same filesystem, so renames work)
 * </pre>
 * What may be deleted when is the {@link GarbageCollector}'s drawing.
 * <p>
 * Metadata is JSON files replaced by write-temp, fsync, atomic rename ({@link AtomicFile}) rather than SQLite:
 * image metadata is small, changes rarely, and files need no native library; a crash leaves the old or the new
 * file, never a torn one.
 */
public record StoreLayout(Path root) {
    public Path blobsDir() {
        return root.resolve("blobs").resolve(Digest.SHA256);
    }

    public Path blob(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    public Path snapshotsDir() {
        return root.resolve("snapshots");
    }

    public Path snapshot(Digest chainId) {
        return snapshotsDir().resolve(chainId.hex());
    }

    public Path imagesDir() {
        return root.resolve("images");
    }

    public Path image(Digest id) {
        return imagesDir().resolve(id.hex() + ".json");
    }

    public Path repositories() {
        return root.resolve("repositories.json");
    }

    public Path tmpDir() {
        return root.resolve("tmp");
    }
}
