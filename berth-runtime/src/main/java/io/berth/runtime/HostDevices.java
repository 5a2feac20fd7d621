package io.berth.runtime;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * Reads the host's device nodes for config.json's linux.devices: every node under /dev for a privileged
 * container, the nodes a {@link DeviceMapping} names for {@code --device}. Nothing is followed but a mapping's own
 * path when it is a symlink (/dev/disk/by-id/..., as Docker does); fifos are not devices.
 */
final class HostDevices {
    /** Directories of /dev a privileged container does not get: its own pts, shm and mqueue, and runtime leftovers. */
    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    /** A device node as linux.devices lists it: made at {@code path} in the container. */
    record LinuxDevice(String path, String type, long major, long minor, int fileMode, int uid, int gid) {}

    private HostDevices() {}

    /** Every device node under {@code dev} (the host's /dev), at the same path in the container, but the console. */
    static List<LinuxDevice> all(Path dev) throws IOException {
        List<LinuxDevice> out = new ArrayList<>();
        Files.walkFileTree(dev, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(dev) && SKIPPED_DIRS.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getParent().equals(dev) || !file.getFileName().toString().equals("console")) {
                    node(file, "/dev/" + dev.relativize(file)).ifPresent(out::add);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // gone meanwhile (a hot-unplugged device): not one to make
            }
        });
        return out;
    }

    /**
     * The device {@code m} names, or every device under it when it is a directory; Docker's message when there is
     * none.
     */
    static List<LinuxDevice> of(DeviceMapping m) {
        Path host = Path.of(m.pathOnHost());
        try {
            if (Files.isSymbolicLink(host)) host = host.toRealPath();
            Optional<LinuxDevice> one = node(host, m.pathInContainer());
            if (one.isPresent()) return List.of(one.get());
            List<LinuxDevice> under = new ArrayList<>();
            if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                Path root = host;
                try (var walk = Files.walk(root)) {
                    for (Path p : walk.toList()) {
                        String inContainer = root.equals(p) ? m.pathInContainer() : m.pathInContainer() + "/" + root.relativize(p);
                        node(p, inContainer).ifPresent(under::add);
                    }
                }
            }
            if (!under.isEmpty()) return under;
            throw gathering(m, "not a device node");
        } catch (NoSuchFileException e) {
            throw gathering(m, "no such file or directory");
        } catch (IOException e) {
            throw gathering(m, e.getMessage());
        }
    }

    private static InvalidArgumentException gathering(DeviceMapping m, String why) {
        return new InvalidArgumentException("error gathering device information while adding custom device \""
                + m.pathOnHost() + "\": " + why);
    }

    /** The node at {@code host} (not followed when a symlink), empty when it is not a char or block device. */
    static Optional<LinuxDevice> node(Path host, String inContainer) throws IOException {
        Map<String, Object> a = Files.readAttributes(host, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        String type = switch (mode & S_IFMT) {
            case S_IFCHR -> "c";
            case S_IFBLK -> "b";
            default -> null;
        };
        if (type == null) return Optional.empty();
        long rdev = (Long) a.get("rdev");
        return Optional.of(new LinuxDevice(inContainer, type, major(rdev), minor(rdev), mode & 07777,
                (Integer) a.get("uid"), (Integer) a.get("gid")));
    }

    /** glibc's gnu_dev_major: the 12 low bits at 8..19, the rest from 44 up. */
    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    static long minor(long rdev) {
        return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    }
}
