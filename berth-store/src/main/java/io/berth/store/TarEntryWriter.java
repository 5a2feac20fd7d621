package io.berth.store;

import io.berth.linux.ErrnoException;
import io.berth.oci.errors.InvalidArgumentException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes tar entries below a root directory without ever following a symlink on the way and without ever
 * writing outside the root. Two policies decide what a symlink among the parent components means:
 * <ul>
 *   <li>{@link ParentPolicy#REFUSE_SYMLINKS} (layers): the entry is unsafe; a layer never needs this.</li>
 *   <li>{@link ParentPolicy#SCOPED} (docker cp into a container): the symlink is resolved inside the root,
 *       as the container would see it ({@link ScopedPath}).</li>
 * </ul>
 * Directory modes and mtimes are applied in {@link #finish()}, after their children were written (writing a
 * child changes the parent's mtime, and a read-only directory mode would block the children).
 */
final class TarEntryWriter {
    enum ParentPolicy { REFUSE_SYMLINKS, SCOPED }

    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE_MARKER = ".wh..wh..opq";
    private static final String XATTR_PAX_PREFIX = "SCHILY.xattr.";
    private static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";

    private record DeferredDir(Path path, int mode, Instant mtime) {
    }

    private final Path root;
    private final String context;
    private final ParentPolicy policy;
    private final boolean overlayWhiteouts;
    private final boolean preserveOwnership;
    private final List<Path> lowerDirs;
    private final List<String> prefix;
    private final boolean root_ = LinuxFiles.isRoot();
    private final List<DeferredDir> dirs = new ArrayList<>();

    /**
     * @param overlayWhiteouts turn OCI whiteout files into overlayfs whiteouts (layers only)
     * @param lowerDirs        snapshots below this layer, topmost first, to resolve hardlinks to older layers
     * @param prefix           path components (below root) that every entry name and hardlink target is under
     */
    TarEntryWriter(Path root, String context, ParentPolicy policy, boolean overlayWhiteouts,
                   boolean preserveOwnership, List<Path> lowerDirs, List<String> prefix) {
        this.root = root;
        this.context = context;
        this.policy = policy;
        this.overlayWhiteouts = overlayWhiteouts;
        this.preserveOwnership = preserveOwnership;
        this.lowerDirs = List.copyOf(lowerDirs);
        this.prefix = List.copyOf(prefix);
    }

    private List<String> prefixed(List<String> parts) {
        if (prefix.isEmpty()) {
            return parts;
        }
        List<String> all = new ArrayList<>(prefix);
        all.addAll(parts);
        return all;
    }

    void write(TarArchiveEntry entry, TarSource source) throws IOException {
        String name = entry.getName();
        List<String> parts = prefixed(TarEntryName.components(context, name, name));
        if (parts.isEmpty()) {
            if (!entry.isDirectory()) {
                throw TarEntryName.unsafe(context, name, "non-directory entry for the root");
            }
            applyOwnerAndXattrs(root, entry);
            dirs.add(new DeferredDir(root, entry.getMode(), mtime(entry)));
            return;
        }
        String base = parts.getLast();
        Path parent = parent(name, parts.subList(0, parts.size() - 1));
        if (overlayWhiteouts && base.startsWith(WHITEOUT_PREFIX)) {
            writeWhiteout(name, parent, base);
            return;
        }
        Path path = parent.resolve(base);
        if (entry.isDirectory()) {
            if (!(Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))) {
                DirectoryTrees.deleteRecursively(path);
                Files.createDirectory(path);
            }
            applyOwnerAndXattrs(path, entry);
            dirs.add(new DeferredDir(path, entry.getMode(), mtime(entry)));
        } else if (entry.isSymbolicLink()) {
            DirectoryTrees.deleteRecursively(path);
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            applyOwnerAndXattrs(path, entry);
            LinuxFiles.lutimes(path, mtime(entry), mtime(entry));
        } else if (entry.isLink()) {
            writeHardlink(entry, path);
        } else if (entry.isFIFO()) {
            DirectoryTrees.deleteRecursively(path);
            LinuxFiles.mknod(path, LinuxFiles.S_IFIFO | (entry.getMode() & 07777), 0, 0);
            applyFileMetadata(path, entry);
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            throw TarEntryName.unsafe(context, name, "device node");
        } else if (entry.isFile()) {
            DirectoryTrees.deleteRecursively(path);
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                source.copyTo(out, entry.getSize());
            }
            applyFileMetadata(path, entry);
        } else {
            throw TarEntryName.unsafe(context, name, "unsupported entry type '" + (char) entry.getLinkFlag() + "'");
        }
    }

    /** Applies the deferred directory modes and mtimes, children before parents. */
    void finish() throws IOException {
        for (DeferredDir dir : dirs.reversed()) {
            LinuxFiles.chmod(dir.path(), dir.mode());
            LinuxFiles.lutimes(dir.path(), dir.mtime(), dir.mtime());
        }
        dirs.clear();
    }

    /** The directory that will hold the entry, created if missing, never reached through a symlink. */
    private Path parent(String name, List<String> parentParts) throws IOException {
        if (policy == ParentPolicy.SCOPED) {
            Path dir = ScopedPath.resolve(root, String.join("/", parentParts));
            ensureInside(name, dir);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw TarEntryName.unsafe(context, name, "parent is not a directory");
                }
                createScopedDirectories(name, parentParts);
            }
            return ScopedPath.resolve(root, String.join("/", parentParts));
        }
        Path dir = root;
        for (String part : parentParts) {
            dir = dir.resolve(part);
            if (Files.isSymbolicLink(dir)) {
                throw TarEntryName.unsafe(context, name, "writes through symlink " + root.relativize(dir));
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir);
            } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw TarEntryName.unsafe(context, name, "parent " + root.relativize(dir) + " is not a directory");
            }
        }
        return dir;
    }

    private void createScopedDirectories(String name, List<String> parentParts) throws IOException {
        for (int i = 1; i <= parentParts.size(); i++) {
            Path dir = ScopedPath.resolve(root, String.join("/", parentParts.subList(0, i)));
            ensureInside(name, dir);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                // Every existing component of a scoped path is a real directory (symlinks were resolved), so
                // creating the missing tail cannot be redirected.
                Files.createDirectories(dir);
            } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw TarEntryName.unsafe(context, name, "parent " + root.relativize(dir) + " is not a directory");
            }
        }
    }

    private void ensureInside(String name, Path path) {
        if (!path.normalize().startsWith(root.normalize())) {
            throw TarEntryName.unsafe(context, name, "resolves outside the target");
        }
    }

    private void writeWhiteout(String name, Path parent, String base) throws IOException {
        if (base.equals(OPAQUE_MARKER)) {
            LinuxFiles.lsetxattr(parent, OVERLAY_OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            return; // aufs bookkeeping (.wh..wh.plnk etc.), meaningless for overlay
        }
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw TarEntryName.unsafe(context, name, "invalid whiteout");
        }
        Path path = parent.resolve(hidden);
        DirectoryTrees.deleteRecursively(path);
        LinuxFiles.mknod(path, LinuxFiles.S_IFCHR, 0, 0);
    }

    private void writeHardlink(TarArchiveEntry entry, Path path) throws IOException {
        String name = entry.getName();
        List<String> targetParts;
        try {
            targetParts = prefixed(TarEntryName.components(context, name, entry.getLinkName()));
        } catch (InvalidArgumentException e) {
            throw TarEntryName.unsafe(context, name, "hardlink target " + entry.getLinkName() + " outside the layer");
        }
        if (targetParts.isEmpty()) {
            throw TarEntryName.unsafe(context, name, "hardlink to the root directory");
        }
        Path inLayer = existingWithoutSymlinkParents(root, targetParts);
        if (inLayer != null) {
            if (Files.isDirectory(inLayer, LinkOption.NOFOLLOW_LINKS)) {
                throw TarEntryName.unsafe(context, name, "hardlink to a directory");
            }
            if (inLayer.equals(path)) {
                return;
            }
            DirectoryTrees.deleteRecursively(path);
            Files.createLink(path, inLayer);
            return;
        }
        for (Path lower : lowerDirs) {
            Path source = existingWithoutSymlinkParents(lower, targetParts);
            if (source != null && !Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                // Hardlinks cannot cross snapshots (each is its own overlay layer), so the file is copied.
                DirectoryTrees.deleteRecursively(path);
                Files.copy(source, path, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                if (preserveOwnership) {
                    Map<String, Object> owner = Files.readAttributes(source, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
                    chown(path, (Integer) owner.get("uid"), (Integer) owner.get("gid"));
                }
                return;
            }
        }
        throw TarEntryName.unsafe(context, name, "hardlink target " + entry.getLinkName() + " outside the layer");
    }

    /** The path of {@code parts} below {@code base} if it exists and no parent component is a symlink. */
    private Path existingWithoutSymlinkParents(Path base, List<String> parts) {
        if (policy == ParentPolicy.SCOPED) {
            Path p = ScopedPath.resolve(base, String.join("/", parts), false);
            return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? p : null;
        }
        Path p = base;
        for (int i = 0; i < parts.size(); i++) {
            p = p.resolve(parts.get(i));
            if (i < parts.size() - 1 && Files.isSymbolicLink(p)) {
                return null;
            }
        }
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? p : null;
    }

    private void applyFileMetadata(Path path, TarArchiveEntry entry) throws IOException {
        applyOwnerAndXattrs(path, entry);
        // chown clears setuid/setgid bits, so the mode comes after it.
        LinuxFiles.chmod(path, entry.getMode());
        LinuxFiles.lutimes(path, mtime(entry), mtime(entry));
    }

    private void applyOwnerAndXattrs(Path path, TarArchiveEntry entry) throws IOException {
        if (preserveOwnership) {
            chown(path, (int) entry.getLongUserId(), (int) entry.getLongGroupId());
        }
        for (var header : entry.getExtraPaxHeaders().entrySet()) {
            if (!header.getKey().startsWith(XATTR_PAX_PREFIX)) {
                continue;
            }
            String xattr = header.getKey().substring(XATTR_PAX_PREFIX.length());
            String value = header.getValue();
            // overlay's own xattrs would let a layer redirect lookups; values Commons Compress could not decode
            // as UTF-8 (binary, e.g. security.capability) would be written corrupted.
            if (xattr.startsWith("trusted.overlay.") || value.indexOf('\uFFFD') >= 0) {
                continue;
            }
            try {
                LinuxFiles.lsetxattr(path, xattr, value.getBytes(StandardCharsets.UTF_8));
            } catch (ErrnoException e) {
                if (e.errno() != LinuxFiles.ENOTSUP && (root_ || e.errno() != LinuxFiles.EPERM)) {
                    throw e;
                }
            }
        }
    }

    private void chown(Path path, int uid, int gid) throws IOException {
        try {
            LinuxFiles.lchown(path, uid, gid);
        } catch (ErrnoException e) {
            // Without root, files simply stay owned by us (rootless use); as root a failure is real.
            if (root_ || e.errno() != LinuxFiles.EPERM) {
                throw e;
            }
        }
    }

    private static Instant mtime(TarArchiveEntry entry) {
        return entry.getLastModifiedTime().toInstant();
    }
}
