package io.berth.daemon.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.Container;
import io.berth.runtime.MountPoint;

/**
 * Where a docker cp path lives: in the container's rootfs, or on one of its binds or volumes, whose host directory
 * then is the root the path is resolved in (berthd's view of the rootfs has no mounts; Docker's cp reaches them).
 * The deepest mount whose destination is the path or a parent of it wins, after the path's directories were
 * resolved as the container sees them ({@link CpPathResolver}: a symlink in the image to a volume leads onto it).
 * A tmpfs lives only in the container's mount namespace:
 * cp to or from one is refused by name rather than served from the layer underneath; so is cp to or from a tmpfs
 * volume while no running container has its tmpfs mounted (the files would land on the disk under it).
 * <p>
 * The container's /etc/hostname, /etc/hosts and /etc/resolv.conf are bind mounts of berthd's files for it, as
 * Docker's are, so cp reads and writes those files (once the container has started and they exist); a user's
 * mount at the same path is mounted after them and wins here too.
 *
 * @param root the host directory the path is resolved in
 * @param path the path inside {@code root}
 * @param name the copied object's name when {@code path} is the mount's own root ("" otherwise)
 * @param readOnly the path is on a read-only mount
 */
record MountedPath(Path root, String path, String name, boolean readOnly) {
    /** @param followLast whether a symlink as the path's last component is followed (an extraction's target directory) */
    static MountedPath of(Container c, Path rootfs, String containerPath, java.util.function.Predicate<Path> tmpfsMounted,
                          boolean followLast) {
        List<MountPoint> mounts = new ArrayList<>(c.spec().mounts().mounts());
        etcFile(mounts, c.paths().hostnameFile(), "/etc/hostname");
        etcFile(mounts, c.paths().hostsFile(), "/etc/hosts");
        etcFile(mounts, c.paths().resolvConfFile(), "/etc/resolv.conf");
        String clean = CpPathResolver.resolve(containerPath, CpPathResolver.in(mounts, rootfs), followLast);
        MountPoint best = deepest(mounts, clean);
        if (best == null) return new MountedPath(rootfs, containerPath, "", false);
        if (best.kind() == MountPoint.Kind.TMPFS) {
            throw new InvalidArgumentException("berth does not support copying to or from a tmpfs mount (" + best.destination() + ") yet");
        }
        if (best.tmpfsVolume() && !tmpfsMounted.test(Path.of(best.source()))) {
            throw new InvalidArgumentException("berth does not support copying to or from tmpfs volume " + best.volume()
                    + " (" + best.destination() + ") while no running container mounts it");
        }
        String rest = clean.substring(best.destination().length());
        String name = rest.isEmpty() ? best.destination().substring(best.destination().lastIndexOf('/') + 1) : "";
        Path source = Path.of(best.source());
        if (!Files.isDirectory(source)) {
            // a bound file: its directory is the root, and only the file itself can be named in it
            if (!rest.isEmpty()) throw new InvalidArgumentException("not a directory: " + best.destination());
            return new MountedPath(source.getParent(), "/" + source.getFileName(), name, best.readOnly());
        }
        return new MountedPath(source, rest.isEmpty() ? "/" : rest, name, best.readOnly());
    }

    /** The mount whose destination is {@code clean} or its deepest parent (the first listed on a tie), or null. */
    static MountPoint deepest(List<MountPoint> mounts, String clean) {
        MountPoint best = null;
        for (MountPoint m : mounts) {
            String d = m.destination();
            if ((clean.equals(d) || clean.startsWith(d + "/")) && (best == null || d.length() > best.destination().length())) best = m;
        }
        return best;
    }

    /** Listed after the user's mounts: on a tie of destinations the first one found stays the best. */
    private static void etcFile(List<MountPoint> mounts, Path hostFile, String destination) {
        if (Files.isRegularFile(hostFile)) {
            mounts.add(MountPoint.bind(MountPoint.Origin.BINDS, hostFile.toString(), destination, false, "", "rprivate"));
        }
    }
}
