package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Mounts and unmounts a container's overlay rootfs in berthd's own mount namespace (FFM mount(2)). */
final class OverlayMount {
    private OverlayMount() {}

    /** mount(2)'s option string; it must fit in a page, which limits the number of layers (see FsMount). */
    static String options(List<Path> lowerDirs, Path upper, Path work) {
        return "lowerdir=" + lowerDirs.stream().map(Path::toString).collect(Collectors.joining(":"))
                + ",upperdir=" + upper + ",workdir=" + work;
    }

    static void mount(List<Path> lowerDirs, Path upper, Path work, Path merged) {
        if (isMounted(merged)) return;
        if (lowerDirs.isEmpty()) throw new InvalidArgumentException("container has no rootfs layers");
        try {
            Files.createDirectories(merged);
            for (Path p : lowerDirs) {
                // overlay splits lowerdir on ':' and options on ','; berth's store never makes such paths
                String s = p.toString();
                if (s.contains(":") || s.contains(",")) throw new InvalidArgumentException("layer path not usable by overlay: " + s);
            }
            if (!mountThroughFsApi(lowerDirs, upper, work, merged)) {
                LinuxCalls.mount("overlay", merged.toString(), "overlay", 0, options(lowerDirs, upper, work));
            }
        } catch (IOException e) {
            throw new SystemFailureException("mounting the container rootfs at " + merged + ": " + e.getMessage(), e);
        }
    }

    /** Whether the new mount API is usable; learnt from the first mount, since only the kernel can say. */
    private static volatile boolean fsApiUsable = FsMount.present();

    /** Mounts through fsopen/fsconfig when the kernel has {@code lowerdir+}; false when it lacks it. */
    private static boolean mountThroughFsApi(List<Path> lowerDirs, Path upper, Path work, Path merged) throws ErrnoException {
        if (!fsApiUsable) return false;
        try {
            FsMount.mountOverlay(lowerDirs.stream().map(Path::toString).toList(), upper.toString(), work.toString(),
                    merged.toString());
            return true;
        } catch (ErrnoException e) {
            boolean unsupported = e.errno() == FsMount.ENOSYS
                    || (e.errno() == LinuxCalls.EINVAL && e.getMessage().contains("lowerdir+"));
            if (!unsupported) throw e;
            fsApiUsable = false; // a kernel before 6.8: mount(2), limited to a page of options
            return false;
        }
    }

    static void unmount(Path merged) {
        try {
            while (isMounted(merged)) LinuxCalls.umount2(merged.toString(), LinuxCalls.MNT_DETACH);
        } catch (ErrnoException e) {
            if (e.errno() != LinuxCalls.EINVAL && e.errno() != LinuxCalls.ENOENT) {
                throw new SystemFailureException("unmounting " + merged + ": " + e.getMessage(), e);
            }
        }
    }

    static boolean isMounted(Path dir) {
        String target = dir.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && unescape(f[4]).equals(target)) return true;
            }
        } catch (IOException e) {
            throw new SystemFailureException("reading /proc/self/mountinfo", e);
        }
        return false;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
