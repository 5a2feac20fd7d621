package io.berth.daemon.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.berth.oci.ContainerConfig;
import io.berth.oci.Digest;
import io.berth.store.ImageRecord;
import io.berth.store.ImageStore;

/** What the container endpoints need from the image store: an image's run defaults and its layers. */
public final class ImageLookup {
    private final ImageStore images;

    public ImageLookup(ImageStore images) {
        this.images = images;
    }

    /** NotFoundException("No such image: X") when missing, as Docker's create answers. */
    public ImageDefaults defaults(String ref) {
        return toDefaults(images.resolve(ref));
    }

    public Optional<ImageDefaults> find(String ref) {
        try {
            return images.find(ref).map(ImageLookup::toDefaults);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public List<Path> lowerDirs(String imageId) {
        return images.lowerDirs(Digest.parse(imageId));
    }

    public int count() {
        return images.list().size();
    }

    public long layersSize() {
        return images.list().stream().mapToLong(ImageRecord::size).sum();
    }

    public List<Map<String, Object>> summaries() {
        return images.list().stream().map(r -> ImageView.summary(r, -1)).toList();
    }

    private static ImageDefaults toDefaults(ImageRecord r) {
        ContainerConfig c = r.config().config() == null ? ContainerConfig.empty() : r.config().config();
        return new ImageDefaults(r.id().toString(), orEmpty(c.entrypoint()), orEmpty(c.cmd()), orEmpty(c.env()),
                c.workingDir(), c.user(), c.stopSignal(), c.labels() == null ? Map.of() : c.labels());
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
