package io.berth.daemon.api;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.runtime.Container;
import io.berth.store.DirectoryTrees;

/**
 * The sizes `docker system df` and `docker ps -s` show, counted as Docker counts them: a layer several images share
 * is stored once, so it counts once in LayersSize and is each such image's SharedSize; a container's SizeRw is
 * its writable layer (berth's upper dir) and SizeRootFs that plus its image.
 */
final class DiskUsage {
    private DiskUsage() {
    }

    /** An image as df sees it: its id and layers (blob digests with their sizes). */
    record ImageLayers(String id, List<Descriptor> layers) {}

    /** What df reports for the images: each one's shared size and the total of distinct layers. */
    record ImagesUsage(Map<String, Long> sharedSize, long layersSize) {}

    static ImagesUsage images(List<ImageLayers> images) {
        Map<Digest, Integer> users = new HashMap<>();
        Map<Digest, Long> sizes = new HashMap<>();
        for (ImageLayers image : images) {
            // an image listing one layer twice (an empty layer repeated) still stores it once
            image.layers().stream().map(Descriptor::digest).distinct().forEach(d -> users.merge(d, 1, Integer::sum));
            image.layers().forEach(l -> sizes.put(l.digest(), l.size()));
        }
        Map<String, Long> shared = new HashMap<>();
        for (ImageLayers image : images) {
            shared.put(image.id(), image.layers().stream().map(Descriptor::digest).distinct()
                    .filter(d -> users.get(d) > 1).mapToLong(sizes::get).sum());
        }
        return new ImagesUsage(shared, sizes.values().stream().mapToLong(Long::longValue).sum());
    }

    /** The bytes in the container's writable layer (0 before its first start made one). */
    static long sizeRw(Container c) {
        return Files.isDirectory(c.upperDir()) ? DirectoryTrees.diskUsage(c.upperDir()) : 0;
    }
}
