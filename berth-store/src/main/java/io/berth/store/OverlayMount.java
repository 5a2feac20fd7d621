package io.berth.store;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An overlayfs mount described as data; the runtime performs it ({@code mount -t overlay overlay -o options}).
 *
 * @param lowerDirs read-only snapshots, topmost first (overlay's lowerdir order)
 * @param upperDir  the container's writable layer
 * @param workDir   overlay's scratch dir, on the same filesystem as upperDir
 */
public record OverlayMount(List<Path> lowerDirs, Path upperDir, Path workDir) {
    public OverlayMount {
        lowerDirs = List.copyOf(lowerDirs);
        if (lowerDirs.isEmpty()) {
            throw new IllegalArgumentException("overlay needs at least one lowerdir");
        }
    }

    /** The mount options, e.g. {@code lowerdir=/s/b:/s/a,upperdir=/c/upper,workdir=/c/work}. */
    public String options() {
        String lower = lowerDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
        return "lowerdir=" + lower + ",upperdir=" + upperDir + ",workdir=" + workDir;
    }
}
