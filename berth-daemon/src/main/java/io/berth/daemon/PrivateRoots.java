package io.berth.daemon;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Keeps berthd's state out of other local users' reach. Under the data root live image layers (with any
 * setuid binaries an image ships), containers' writable layers and their config.json (with every {@code -e}
 * secret): if a local user could walk there, he could read secrets or run a setuid-root binary straight from a
 * layer directory (CVE-2021-41091 was this for Docker). So, as dockerd does:
 * <pre>
 * DATA-ROOT/            0710 root:root   (no one else may list or walk it)
 *   store/ containers/ build-cache/ build-contexts/ volumes/ networks/ exec/ ...   0700
 *   volumes/NAME/_data  0755 (what a container mounts; reachable only through the 0700 volumes/)
 *   any top-level file  0600
 *   containers/&lt;id&gt;/   0700, container.json and bundle/config.json 0600
 * EXEC-ROOT/            0700
 * </pre>
 * Everything below is covered by these directories; {@link #secure} creates them with these modes and repairs
 * a root written by an older berthd, at every start. The files bind-mounted into containers (hosts,
 * resolv.conf, hostname) keep 0644, since a container's non-root user must read them through the mount.
 */
final class PrivateRoots {
    static final Set<PosixFilePermission> DATA_ROOT = PosixFilePermissions.fromString("rwx--x---");
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    /** The data root's directories berthd's services open; made here first so they never exist with 0755. */
    private static final List<String> TOP_LEVEL_DIRS = List.of("store", "containers", "build-cache", "build-contexts",
            "volumes", "networks");

    private PrivateRoots() {}

    static void secure(Path dataRoot, Path execRoot) throws IOException {
        makePrivateDir(dataRoot, DATA_ROOT);
        makePrivateDir(execRoot, PRIVATE_DIR);
        for (String dir : TOP_LEVEL_DIRS) {
            makePrivateDir(dataRoot.resolve(dir), PRIVATE_DIR);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataRoot)) {
            for (Path entry : entries) {
                restrict(entry);
            }
        }
        try (DirectoryStream<Path> containers = Files.newDirectoryStream(dataRoot.resolve("containers"))) {
            for (Path container : containers) {
                restrict(container);
                restrict(container.resolve("container.json"));
                restrict(container.resolve("bundle"));
                restrict(container.resolve("bundle").resolve("config.json"));
            }
        }
    }

    private static void makePrivateDir(Path dir, Set<PosixFilePermission> mode) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(mode));
        }
        // createDirectories' mode passes through the umask, and an existing directory keeps its old mode.
        Files.setPosixFilePermissions(dir, mode);
    }

    /** A directory becomes 0700 and a regular file 0600; symlinks and absent paths are left alone. */
    private static void restrict(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!path.equals(path.getRoot())) Files.setPosixFilePermissions(path, PRIVATE_DIR);
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(path, PRIVATE_FILE);
        }
    }
}
