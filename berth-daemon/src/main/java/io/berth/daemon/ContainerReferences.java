package io.berth.daemon;

import io.berth.oci.Digest;
import io.berth.runtime.Container;
import io.berth.store.RootSource;
import io.berth.store.StoreReference;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What containers keep alive in the store, for the garbage collector and {@code system check}: each container's
 * image and the snapshots its overlay stacks (lowerdirs under the store's snapshot directory; a build step's
 * empty rootfs is not one).
 */
final class ContainerReferences implements RootSource {
    private final Supplier<List<Container>> containers;
    private final Path snapshotsDir;

    ContainerReferences(Supplier<List<Container>> containers, Path snapshotsDir) {
        this.containers = containers;
        this.snapshotsDir = snapshotsDir;
    }

    @Override
    public List<StoreReference> references() {
        List<StoreReference> refs = new ArrayList<>();
        for (Container c : containers.get()) {
            String owner = "container " + c.name();
            if (Digest.isValid(c.spec().imageId())) {
                refs.add(new StoreReference(owner, StoreReference.Kind.IMAGE, Digest.parse(c.spec().imageId()), true));
            }
            if (c.spec().rootfs() == null) {
                continue;
            }
            for (Path lower : c.spec().rootfs().lowerDirs()) {
                String name = lower.getFileName() == null ? "" : lower.getFileName().toString();
                if (snapshotsDir.equals(lower.getParent()) && Digest.isValid(Digest.SHA256 + ":" + name)) {
                    refs.add(new StoreReference(owner, StoreReference.Kind.SNAPSHOT, new Digest(Digest.SHA256, name),
                            true));
                }
            }
        }
        return refs;
    }
}
