package io.berth.store;

import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The store's services over one root directory, wired together; the daemon keeps one of these. */
public record StoreServices(StoreLayout layout, ContentStore content, SnapshotStore snapshots, ImageStore images,
                            ImageImporter importer, ArchiveLoader loader, ArchiveSaver saver, GarbageCollector gc,
                            StoreCheck check) {

    /**
     * Opens (creating if needed) the store at {@code root} and clears what a crash left half-written. The owner
     * registers its other roots and scratch dirs with {@link #gc()} and then runs
     * {@link GarbageCollector#collectAtStart()} once, before serving.
     */
    public static StoreServices open(Path root) {
        StoreLayout layout = new StoreLayout(root);
        try {
            Files.createDirectories(root);
            DirectoryTrees.deleteRecursively(layout.tmpDir());
            Files.createDirectories(layout.tmpDir());
        } catch (IOException e) {
            throw new SystemFailureException("cannot prepare store at " + root + ": " + e.getMessage(), e);
        }
        ContentStore content = new ContentStore(root, new Leases());
        content.removeLeftovers();
        SnapshotStore snapshots = new SnapshotStore(root, content);
        snapshots.removeLeftovers();
        ImageStore images = new ImageStore(root, content, snapshots);
        GarbageCollector gc = new GarbageCollector(layout, content, snapshots, images);
        return new StoreServices(layout, content, snapshots, images,
                new ImageImporter(content, snapshots, images),
                new ArchiveLoader(root, content, snapshots, images),
                new ArchiveSaver(content, images), gc, new StoreCheck(content, snapshots, images, gc));
    }

    /** The leases of this store: every operation that writes content holds one while it runs. */
    public Leases leases() {
        return content.leases();
    }
}
