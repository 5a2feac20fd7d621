package io.berth.daemon.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.berth.oci.ContainerConfig;
import io.berth.oci.Platform;
import io.berth.oci.errors.NotFoundException;
import io.berth.daemon.images.ImageService;
import io.berth.store.ImageRecord;
import io.berth.store.ImageStore;

/** What the container endpoints need from the image store: an image's run defaults and its layers. */
public final class ImageLookup {
    private final ImageStore images;
    private final ImageService service;

    public ImageLookup(ImageStore images, ImageService service) {
        this.images = images;
        this.service = service;
    }

    /** What a create does with the image's run defaults and layers. */
    @FunctionalInterface
    public interface Use<T> {
        T apply(ImageDefaults defaults, List<Path> lowerDirs) throws Exception;
    }

    /**
     * Runs {@code use} with the image's defaults and layers while no removal can delete it (see ImageService);
     * NotFoundException("No such image: X") when missing, as Docker's create answers.
     */
    public <T> T withImage(String ref, Use<T> use) throws Exception {
        return withImage(ref, null, use);
    }

    /**
     * As {@link #withImage(String, Use)}, for a create that asked for a platform ({@code wanted}, null for none): an
     * image of another platform is Docker's NotFoundException "image with reference X was found but does not match the
     * specified platform", which the docker CLI takes as a missing image (and pulls for that platform).
     */
    public <T> T withImage(String ref, Platform wanted, Use<T> use) throws Exception {
        return service.withImage(ref, r -> {
            if (wanted != null) {
                Platform actual = platformOf(r);
                if (!wanted.accepts(actual)) {
                    throw new NotFoundException("image with reference " + ref + " was found but does not match the specified"
                            + " platform: wanted " + wanted.format() + ", actual: " + actual.format());
                }
            }
            return use.apply(toDefaults(r), images.lowerDirs(r.id()));
        });
    }

    /**
     * Docker's create warning for an image of another platform than the machine's when no platform was asked for;
     * empty when it matches (or says nothing of its platform).
     */
    public Optional<String> foreignPlatformWarning(String ref) {
        return images.find(ref).flatMap(r -> {
            Platform actual = platformOf(r);
            Platform host = Platform.host();
            if (r.config().architecture() == null || r.config().architecture().isEmpty() || host.accepts(actual)) return Optional.empty();
            return Optional.of("The requested image's platform (" + actual.format() + ") does not match the detected host"
                    + " platform (" + host.format() + ") and no specific platform was requested");
        });
    }

    private static Platform platformOf(ImageRecord r) {
        String os = r.config().os() == null || r.config().os().isEmpty() ? "linux" : r.config().os();
        String arch = r.config().architecture() == null ? "" : r.config().architecture();
        return new Platform(arch, os, null, null, r.config().variant());
    }

    public Optional<ImageDefaults> find(String ref) {
        try {
            return images.find(ref).map(ImageLookup::toDefaults);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public int count() {
        return images.list().size();
    }

    /**
     * /system/df's images (SharedSize, and Containers from {@code users}: image id to the number of containers) and
     * the size of their distinct layers.
     */
    public Map.Entry<List<Map<String, Object>>, Long> usage(Map<String, Long> users) {
        List<ImageRecord> all = images.list();
        DiskUsage.ImagesUsage usage = DiskUsage.images(all.stream()
                .map(r -> new DiskUsage.ImageLayers(r.id().toString(), images.manifest(r.id()).layers())).toList());
        List<Map<String, Object>> summaries = all.stream().map(r -> {
            Map<String, Object> m = ImageView.summary(r, users.getOrDefault(r.id().toString(), 0L).intValue());
            m.put("SharedSize", usage.sharedSize().get(r.id().toString()));
            return m;
        }).toList();
        return Map.entry(summaries, usage.layersSize());
    }

    /** The size of an image's layers (a container's SizeRootFs less its own), 0 when it is gone. */
    public long imageSize(String imageId) {
        try {
            return images.find(imageId).map(ImageRecord::size).orElse(0L);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static ImageDefaults toDefaults(ImageRecord r) {
        ContainerConfig c = r.config().config() == null ? ContainerConfig.empty() : r.config().config();
        return new ImageDefaults(r.id().toString(), orEmpty(c.entrypoint()), orEmpty(c.cmd()), orEmpty(c.env()),
                c.workingDir(), c.user(), c.stopSignal(), c.labels() == null ? Map.of() : c.labels(),
                c.volumes() == null ? List.of() : List.copyOf(new java.util.TreeSet<>(c.volumes().keySet())),
                c.exposedPorts() == null ? List.of() : List.copyOf(c.exposedPorts().keySet()),
                HealthcheckJson.parse(c.healthcheck()), c.shell());
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
