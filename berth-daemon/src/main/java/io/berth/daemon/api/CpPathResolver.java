package io.berth.daemon.api;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import io.berth.fs.FileHandle;
import io.berth.fs.RootedDir;
import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.MountPoint;

/**
 * Resolves the directories of a docker cp path as the container sees them: symlinks in the image and on its
 * mounts are followed, inside the container's root, and a directory that is a mount's destination continues in
 * the mount's source. So {@code /link/file}, where the image's {@code /link} points at a volume's mount point,
 * is a path on the volume, as in Docker (berthd's view of the rootfs has no mounts). The last component of a path
 * copied out is kept as it is: cp copies a symlink named there, not its target. The result only chooses the root the copy then
 * works in; the copy itself resolves the path again inside that root ({@link RootedDir}), so a container that
 * swaps its links meanwhile can only move the copy within that root.
 */
final class CpPathResolver {
    /** Linux's limit on symlinks followed in one path resolution. */
    private static final int MAX_LINKS = 40;

    /** Reads the symlink at a resolved container path, or empty when it is not one (or does not exist). */
    @FunctionalInterface
    interface Links {
        Optional<String> read(String containerPath);
    }

    private CpPathResolver() {}

    /**
     * The cleaned container path with every directory on the way resolved; the last component kept, unless
     * {@code followLast} (the directory an archive is extracted into is followed like any other).
     */
    static String resolve(String containerPath, Links links, boolean followLast) {
        String clean = Path.of("/").resolve(containerPath).normalize().toString();
        if (clean.equals("/")) return clean;
        int slash = clean.lastIndexOf('/');
        String last = followLast ? "" : clean.substring(slash + 1);
        Deque<String> todo = new ArrayDeque<>(List.of((followLast ? clean : clean.substring(0, slash)).split("/")));
        String at = "/";
        int followed = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                at = parent(at);
                continue;
            }
            String next = join(at, part);
            Optional<String> target = links.read(next);
            if (target.isEmpty()) {
                at = next;
                continue;
            }
            if (++followed > MAX_LINKS) throw new InvalidArgumentException("too many levels of symbolic links: " + containerPath);
            String[] parts = target.get().split("/");
            for (int i = parts.length - 1; i >= 0; i--) todo.addFirst(parts[i]);
            if (target.get().startsWith("/")) at = "/";
        }
        return last.isEmpty() ? at : join(at, last);
    }

    /** Links read where the container sees them: in the mount whose destination holds the path, else the rootfs. */
    static Links in(List<MountPoint> mounts, Path rootfs) {
        return containerPath -> {
            MountPoint m = MountedPath.deepest(mounts, containerPath);
            boolean onDirectoryMount = m != null && m.kind() != MountPoint.Kind.TMPFS && java.nio.file.Files.isDirectory(Path.of(m.source()));
            if (m != null && !onDirectoryMount) return Optional.empty();
            Path root = m == null ? rootfs : Path.of(m.source());
            String rest = m == null ? containerPath : containerPath.substring(m.destination().length());
            try (RootedDir dir = RootedDir.open(root); FileHandle h = dir.resolve(rest, RootedDir.Links.FOLLOW_IN_ROOT, false)) {
                FileCalls.Stat st = h.stat();
                return st.isSymlink() ? Optional.of(h.readlink()) : Optional.empty();
            } catch (ErrnoException e) {
                return Optional.empty(); // missing: the copy reports it with Docker's message
            }
        };
    }

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i <= 0 ? "/" : p.substring(0, i);
    }

    private static String join(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }
}
