package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Mounts and unmounts a container's overlay rootfs in berthd's own mount namespace (FFM mount(2)). */
final class OverlayMount {
    private OverlayMount() {}

    /** mount(2)'s option string with the layers' paths; it must fit in a page ({@link #MOUNT_OPTIONS_MAX}). */
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
            if (!mountThroughFsApi(lowerDirs, upper, work, merged)) mountThroughMount2(lowerDirs, upper, work, merged);
        } catch (IOException e) {
            throw new SystemFailureException("mounting the container rootfs at " + merged + ": " + e.getMessage(), e);
        }
    }

    /**
     * mount(2) copies at most a page of options (the smallest page berth's architectures have), NUL included; ~40
     * lowerdirs under berth's store overflow it. Past that, each lowerdir is named by an O_PATH descriptor of
     * berthd's own, {@code /proc/self/fd/N} (18 bytes, whatever the data root): overlay resolves each name once, at
     * mount time, following the magic link to the directory, and keeps no reference to the descriptor, which is
     * closed right after. So Docker's 128 layers fit on kernels without {@code lowerdir+} too (Debian bookworm's
     * 6.1). /proc/self/mountinfo then shows those names instead of the store's paths; nothing in berth reads them.
     */
    static final int MOUNT_OPTIONS_MAX = 4096;

    static void mountThroughMount2(List<Path> lowerDirs, Path upper, Path work, Path merged) throws ErrnoException {
        String plain = options(lowerDirs, upper, work);
        if (plain.length() < MOUNT_OPTIONS_MAX) {
            LinuxCalls.mount("overlay", merged.toString(), "overlay", 0, plain);
            return;
        }
        List<Integer> fds = new ArrayList<>(lowerDirs.size());
        try {
            for (Path lower : lowerDirs) {
                fds.add(FileCalls.openat(FileCalls.AT_FDCWD, lower.toString(),
                        FileCalls.O_PATH | FileCalls.O_DIRECTORY | FileCalls.O_CLOEXEC, 0));
            }
            String byFd = "lowerdir=" + fds.stream().map(fd -> "/proc/self/fd/" + fd).collect(Collectors.joining(":"))
                    + ",upperdir=" + upper + ",workdir=" + work;
            if (byFd.length() >= MOUNT_OPTIONS_MAX) {
                throw new InvalidArgumentException("too many layers for overlay on this kernel: " + lowerDirs.size());
            }
            LinuxCalls.mount("overlay", merged.toString(), "overlay", 0, byFd);
        } finally {
            fds.forEach(FileCalls::close);
        }
    }

    /**
     * Whether overlay takes {@code lowerdir+}: Linux 6.8 and later. It is decided from the kernel's version, not
     * from a failure: before 6.5 overlay accepts {@code lowerdir+} as an unknown legacy option and only the final
     * create fails, with the same EINVAL a real mistake would give.
     */
    private static final boolean FS_API_USABLE = FsMount.present() && kernelAtLeast(readOsRelease(), 6, 8);

    /** Mounts through fsopen/fsconfig when the kernel has {@code lowerdir+}; false when it lacks it. */
    private static boolean mountThroughFsApi(List<Path> lowerDirs, Path upper, Path work, Path merged) throws ErrnoException {
        if (!FS_API_USABLE) return false;
        FsMount.mountOverlay(lowerDirs.stream().map(Path::toString).toList(), upper.toString(), work.toString(),
                merged.toString());
        return true;
    }

    static boolean kernelAtLeast(String release, int major, int minor) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        if (!m.find()) return false;
        int maj = Integer.parseInt(m.group(1));
        return maj > major || (maj == major && Integer.parseInt(m.group(2)) >= minor);
    }

    private static String readOsRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return ""; // mount(2) then, which every kernel has
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
