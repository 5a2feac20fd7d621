package io.berth.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * Overlay mounts for berthd's other users (the builder's {@code RUN --mount=type=bind} views of a stage or the
 * context): the same mount code as a container's rootfs, in berthd's mount namespace.
 */
public final class OverlayMounts {
    private OverlayMounts() {}

    /** Mounts {@code lowerDirs} (topmost first) under {@code upper} at {@code merged}; nothing if already mounted. */
    public static void mount(List<Path> lowerDirs, Path upper, Path work, Path merged) {
        OverlayMount.mount(lowerDirs, upper, work, merged);
    }

    /** Unmounts whatever is mounted at {@code merged}; nothing mounted is no error. */
    public static void unmount(Path merged) {
        OverlayMount.unmount(merged);
    }

    public static boolean isMounted(Path dir) {
        return OverlayMount.isMounted(dir);
    }
}
