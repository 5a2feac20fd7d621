package io.berth.fs;

import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way berth writes an untrusted tar into a directory: image layers, {@code docker cp} into a
 * container, the build context, and the CLI's {@code cp} out of a container into a host directory. Every entry
 * is placed through descriptors held inside a {@link RootedDir}: its parent directory is resolved by the kernel
 * inside the root, and the entry is created, replaced and given its metadata relative to that held parent, so
 * neither a hostile archive (".." names, absolute names, a symlink entry then "link/file", hardlinks out) nor a
 * running container swapping directories for symlinks meanwhile can make it touch anything outside the root.
 *
 * <p>What differs between uses is {@link Options}: whether symlinks already in the tree are followed inside the
 * root (a container path, as its own processes see it) or refused (a layer, a host directory); OCI whiteouts as
 * overlay whiteouts (layers); ownership and xattrs; whether a non-directory may replace a directory.
 * Directory modes and mtimes are applied in {@link #finish()}, after their children were written (writing a
 * child changes the parent's mtime, and a read-only directory mode would block the children).
 */
public final class TarApplier implements AutoCloseable {
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE_MARKER = ".wh..wh..opq";
    private static final String XATTR_PAX_PREFIX = "SCHILY.xattr.";
    private static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final int BUFFER = 1 << 16;
    /** As the kernel's limit on symlinks followed in one resolution. */
    private static final int MAX_LINKS = 40;

    /**
     * @param links              symlinks already in the tree: followed inside the root, or refused
     * @param overlayWhiteouts   OCI whiteout files become overlayfs whiteouts (layers only)
     * @param preserveOwnership  apply the entries' uid/gid (without root, a refusal is ignored)
     * @param xattrs             apply SCHILY.xattr PAX records (never overlay's own, never undecodable values)
     * @param replaceDirectories a non-directory entry may replace an existing directory (with its contents), and a
     *                           directory entry an existing non-directory (Docker's noOverwriteDirNonDir=false)
     * @param lowerDirs          snapshots below a layer, topmost first, to resolve hardlinks to older layers
     */
    public record Options(RootedDir.Links links, boolean overlayWhiteouts, boolean preserveOwnership, boolean xattrs,
                          boolean replaceDirectories, List<Path> lowerDirs) {
        public Options {
            lowerDirs = List.copyOf(lowerDirs);
        }

        /** An image layer into its (empty) snapshot directory. */
        public static Options layer(List<Path> lowerDirs) {
            return new Options(RootedDir.Links.REFUSE, true, true, true, true, lowerDirs);
        }

        /** docker cp into a container (or a build context): the container's own symlinks lead inside its root. */
        public static Options intoContainer(boolean preserveOwnership, boolean replaceDirectories) {
            return new Options(RootedDir.Links.FOLLOW_IN_ROOT, false, preserveOwnership, true, replaceDirectories, List.of());
        }

        /** A copy out of a container into a directory of the user's: nothing is written through a symlink. */
        public static Options intoHostDirectory(boolean preserveOwnership) {
            return new Options(RootedDir.Links.REFUSE, false, preserveOwnership, false, false, List.of());
        }
    }

    private record DeferredDir(String path, int mode, Instant mtime) {
    }

    private final RootedDir root;
    private final List<String> base;
    private final String context;
    private final Options options;
    private final boolean runningAsRoot = FileCalls.geteuid() == 0;
    private final List<DeferredDir> dirs = new ArrayList<>();
    private final Map<Path, RootedDir> lowers = new LinkedHashMap<>();
    private final byte[] buffer = new byte[BUFFER];
    private String cachedParentPath;
    private FileHandle cachedParent;

    /**
     * @param root    the tree written into; entries are placed below {@code base} in it
     * @param base    the directory (a path in the root, e.g. a container's "/tmp"; "" for the root) entries are
     *                relative to; give it as {@link RootedDir#pathOf} names it, so no symlink is on the way
     * @param context what the archive is, for messages ("layer tar")
     */
    public TarApplier(RootedDir root, String base, String context, Options options) {
        this.root = root;
        this.base = split(base);
        this.context = context;
        this.options = options;
    }

    /** Applies one entry; {@code data} is positioned at the entry's content (the tar stream itself). */
    public void apply(TarArchiveEntry entry, InputStream data) throws IOException {
        String name = entry.getName();
        List<String> parts = new ArrayList<>(base);
        parts.addAll(EntryName.components(context, name, name));
        if (parts.isEmpty()) {
            if (!entry.isDirectory()) {
                throw BadArchiveException.unsafe(context, name, "non-directory entry for the root");
            }
            applyOwnerAndXattrs(root.handle(), ".", entry);
            dirs.add(new DeferredDir("", entry.getMode(), mtime(entry)));
            return;
        }
        String leaf = parts.getLast();
        String path = String.join("/", parts);
        FileHandle parent = parent(name, parts.subList(0, parts.size() - 1));
        if (options.overlayWhiteouts() && leaf.startsWith(WHITEOUT_PREFIX)) {
            writeWhiteout(name, parent, path, leaf);
            return;
        }
        if (entry.isDirectory()) {
            FileCalls.Stat existing = parent.statChild(leaf);
            if (existing == null || !existing.isDirectory()) {
                if (existing != null && !options.replaceDirectories()) {
                    throw new BadArchiveException(context + ": cannot overwrite non-directory " + name + " with a directory");
                }
                replace(name, parent, path, leaf, existing);
                parent.mkdir(leaf, 0700);
            }
            applyOwnerAndXattrs(parent, leaf, entry);
            dirs.add(new DeferredDir(path, entry.getMode(), mtime(entry)));
        } else if (entry.isSymbolicLink()) {
            replace(name, parent, path, leaf, parent.statChild(leaf));
            parent.symlink(leaf, entry.getLinkName());
            applyOwnerAndXattrs(parent, leaf, entry);
            parent.setChildTimes(leaf, entry.getLastModifiedTime().toInstant().getEpochSecond(),
                    entry.getLastModifiedTime().toInstant().getNano());
        } else if (entry.isLink()) {
            writeHardlink(entry, parent, path, leaf);
        } else if (entry.isFIFO()) {
            replace(name, parent, path, leaf, parent.statChild(leaf));
            parent.mknod(leaf, FileCalls.S_IFIFO | 0600, 0);
            applyOwnerAndXattrs(parent, leaf, entry);
            try (FileHandle fifo = parent.child(leaf)) {
                if (fifo.stat().type() == FileCalls.S_IFIFO) {
                    fifo.chmod(entry.getMode());
                    fifo.setTimes(mtime(entry).getEpochSecond(), mtime(entry).getNano());
                }
            }
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            throw BadArchiveException.unsafe(context, name, "device node");
        } else if (entry.isFile()) {
            replace(name, parent, path, leaf, parent.statChild(leaf));
            try (FileHandle.WritableFile file = parent.createFile(leaf, 0600)) {
                copyData(entry, data, file);
                if (options.preserveOwnership()) {
                    chown(() -> file.chown((int) entry.getLongUserId(), (int) entry.getLongGroupId()));
                }
                for (Map.Entry<String, byte[]> x : xattrs(entry).entrySet()) {
                    xattr(() -> file.setXattr(x.getKey(), x.getValue()));
                }
                // chown clears setuid/setgid bits, so the mode comes after it.
                file.chmod(entry.getMode());
                file.setTimes(mtime(entry).getEpochSecond(), mtime(entry).getNano());
            }
        } else {
            throw BadArchiveException.unsafe(context, name, "unsupported entry type '" + (char) entry.getLinkFlag() + "'");
        }
    }

    /** Applies the deferred directory modes and mtimes, children before parents. */
    public void finish() throws IOException {
        closeCachedParent();
        for (DeferredDir dir : dirs.reversed()) {
            FileHandle handle;
            try {
                handle = dir.path().isEmpty() ? null : root.resolve(dir.path(), options.links(), false);
            } catch (ErrnoException e) {
                continue; // replaced by a later entry (or, in a running container, by the container)
            }
            FileHandle target = handle == null ? root.handle() : handle;
            try {
                if (target.stat().isDirectory()) {
                    target.chmod(dir.mode());
                    target.setTimes(dir.mtime().getEpochSecond(), dir.mtime().getNano());
                }
            } finally {
                if (handle != null) {
                    handle.close();
                }
            }
        }
        dirs.clear();
    }

    @Override
    public void close() {
        closeCachedParent();
        lowers.values().forEach(RootedDir::close);
        lowers.clear();
    }

    /**
     * The directory that will hold the entry, created if missing, held as a descriptor. Consecutive entries in
     * one directory (the usual order) share it; anything that removes a directory drops it.
     */
    private FileHandle parent(String name, List<String> parentParts) throws IOException {
        String key = String.join("/", parentParts);
        if (cachedParent != null && key.equals(cachedParentPath)) {
            return cachedParent;
        }
        closeCachedParent();
        FileHandle dir;
        try {
            dir = root.resolveDir(key, options.links());
        } catch (ErrnoException e) {
            if (e.errno() != FileCalls.ENOENT) {
                throw parentError(name, key, e);
            }
            dir = createParents(name, parentParts, 0);
        }
        cachedParentPath = key;
        cachedParent = dir;
        return dir;
    }

    /**
     * Creates the missing directories of {@code parentParts} one at a time, each relative to a held parent. In a
     * container a dangling symlink on the way is followed as a chrooted {@code mkdir -p} would: its target is
     * created, inside the root.
     */
    private FileHandle createParents(String name, List<String> parentParts, int links) throws IOException {
        FileHandle current = root.resolveDir("", options.links());
        for (int i = 0; i < parentParts.size(); i++) {
            String part = parentParts.get(i);
            String sub = String.join("/", parentParts.subList(0, i + 1));
            try {
                FileHandle next;
                try {
                    next = open(current, sub, part);
                } catch (ErrnoException e) {
                    if (e.errno() != FileCalls.ENOENT) {
                        throw parentError(name, sub, e);
                    }
                    try {
                        current.mkdir(part, 0755);
                    } catch (ErrnoException exists) {
                        if (exists.errno() != FileCalls.EEXIST) {
                            throw exists;
                        }
                        FileCalls.Stat st = current.statChild(part);
                        if (options.links() == RootedDir.Links.FOLLOW_IN_ROOT && st != null && st.isSymlink()) {
                            if (links >= MAX_LINKS) {
                                throw BadArchiveException.unsafe(context, name, "too many levels of symbolic links in " + sub);
                            }
                            String target = current.readlinkChild(part);
                            List<String> redirected = new ArrayList<>(target.startsWith("/") ? List.of()
                                    : parentParts.subList(0, i));
                            for (String p : target.split("/")) {
                                if (!p.isEmpty() && !p.equals(".")) {
                                    redirected.add(p);
                                }
                            }
                            redirected.addAll(parentParts.subList(i + 1, parentParts.size()));
                            current.close();
                            return createParents(name, redirected, links + 1);
                        }
                    }
                    try {
                        next = open(current, sub, part);
                    } catch (ErrnoException again) {
                        throw parentError(name, sub, again);
                    }
                }
                current.close();
                current = next;
            } catch (IOException | RuntimeException e) {
                current.close();
                throw e;
            }
        }
        return current;
    }

    /** One more component: by name when symlinks are refused, else resolved in the root (following them there). */
    private FileHandle open(FileHandle current, String sub, String part) throws ErrnoException {
        return options.links() == RootedDir.Links.REFUSE ? current.childDir(part) : root.resolveDir(sub, options.links());
    }

    private BadArchiveException parentError(String name, String dir, ErrnoException e) {
        return switch (e.errno()) {
            case FileCalls.ELOOP -> options.links() == RootedDir.Links.REFUSE
                    ? BadArchiveException.unsafe(context, name, "writes through symlink " + dir)
                    : BadArchiveException.unsafe(context, name, "too many levels of symbolic links in " + dir);
            case FileCalls.ENOTDIR -> BadArchiveException.unsafe(context, name, "parent " + dir + " is not a directory");
            case FileCalls.EXDEV -> BadArchiveException.unsafe(context, name, "resolves outside the target");
            default -> new BadArchiveException(context + ": cannot open the directory of " + name + ": " + e.getMessage(), e);
        };
    }

    /** Removes what is at {@code leaf} (if anything) so a new entry can take its place. */
    private void replace(String name, FileHandle parent, String path, String leaf, FileCalls.Stat existing)
            throws IOException {
        if (existing == null) {
            return;
        }
        if (existing.isDirectory() && !options.replaceDirectories()) {
            throw new BadArchiveException(context + ": cannot overwrite directory " + name + " with a non-directory");
        }
        if (cachedParentPath != null && (cachedParentPath.equals(path) || cachedParentPath.startsWith(path + "/"))) {
            closeCachedParent(); // never the parent passed in: that is path's own parent
        }
        parent.removeChild(leaf);
    }

    private void writeWhiteout(String name, FileHandle parent, String path, String leaf) throws IOException {
        if (leaf.equals(OPAQUE_MARKER)) {
            parent.setDirXattr(OVERLAY_OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (leaf.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            return; // aufs bookkeeping (.wh..wh.plnk etc.), meaningless for overlay
        }
        String hidden = leaf.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw BadArchiveException.unsafe(context, name, "invalid whiteout");
        }
        String hiddenPath = path.substring(0, path.length() - leaf.length()) + hidden;
        replace(name, parent, hiddenPath, hidden, parent.statChild(hidden));
        parent.mknod(hidden, FileCalls.S_IFCHR, 0);
    }

    private void writeHardlink(TarArchiveEntry entry, FileHandle parent, String path, String leaf) throws IOException {
        String name = entry.getName();
        List<String> target = new ArrayList<>(base);
        try {
            target.addAll(EntryName.components(context, name, entry.getLinkName()));
        } catch (BadArchiveException e) {
            throw BadArchiveException.unsafe(context, name, "hardlink target " + entry.getLinkName() + " outside the layer");
        }
        if (target.isEmpty()) {
            throw BadArchiveException.unsafe(context, name, "hardlink to the root directory");
        }
        String targetDir = String.join("/", target.subList(0, target.size() - 1));
        String targetLeaf = target.getLast();
        if (String.join("/", target).equals(path)) {
            return;
        }
        try (FileHandle dir = root.resolveDir(targetDir, options.links())) {
            FileCalls.Stat st = dir.statChild(targetLeaf);
            if (st != null) {
                if (st.isDirectory()) {
                    throw BadArchiveException.unsafe(context, name, "hardlink to a directory");
                }
                replace(name, parent, path, leaf, parent.statChild(leaf));
                parent.link(leaf, dir, targetLeaf);
                return;
            }
        } catch (ErrnoException e) {
            if (e.errno() != FileCalls.ENOENT && e.errno() != FileCalls.ENOTDIR && e.errno() != FileCalls.ELOOP) {
                throw e;
            }
        }
        for (Path lowerPath : options.lowerDirs()) {
            RootedDir lower = lower(lowerPath);
            try (FileHandle dir = lower.resolveDir(targetDir, RootedDir.Links.REFUSE)) {
                FileCalls.Stat st = dir.statChild(targetLeaf);
                if (st == null || st.isDirectory()) {
                    continue;
                }
                // Hardlinks cannot cross snapshots (each is its own overlay layer), so the file is copied.
                replace(name, parent, path, leaf, parent.statChild(leaf));
                copyFromLower(dir, targetLeaf, st, parent, leaf, name);
                return;
            } catch (ErrnoException e) {
                if (e.errno() != FileCalls.ENOENT && e.errno() != FileCalls.ENOTDIR && e.errno() != FileCalls.ELOOP) {
                    throw e;
                }
            }
        }
        throw BadArchiveException.unsafe(context, name, "hardlink target " + entry.getLinkName() + " outside the layer");
    }

    private void copyFromLower(FileHandle dir, String sourceLeaf, FileCalls.Stat st, FileHandle parent, String leaf,
                               String name) throws IOException {
        if (st.isSymlink()) {
            parent.symlink(leaf, dir.readlinkChild(sourceLeaf));
            if (options.preserveOwnership()) {
                chown(() -> parent.chownChild(leaf, st.uid(), st.gid()));
            }
            parent.setChildTimes(leaf, st.mtimeSeconds(), st.mtimeNanos());
            return;
        }
        if (!st.isRegular()) {
            throw BadArchiveException.unsafe(context, name, "hardlink to a special file in a lower layer");
        }
        try (FileHandle source = dir.child(sourceLeaf);
             InputStream in = source.newInputStream();
             FileHandle.WritableFile file = parent.createFile(leaf, 0600)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                file.write(buffer, 0, n);
            }
            if (options.preserveOwnership()) {
                chown(() -> file.chown(st.uid(), st.gid()));
            }
            file.chmod(st.mode());
            file.setTimes(st.mtimeSeconds(), st.mtimeNanos());
        }
    }

    private RootedDir lower(Path path) throws ErrnoException {
        RootedDir lower = lowers.get(path);
        if (lower == null) {
            lower = RootedDir.open(path);
            lowers.put(path, lower);
        }
        return lower;
    }

    /** Copies the entry's data and checks that all of it was there; a read failure is the archive's fault. */
    private void copyData(TarArchiveEntry entry, InputStream data, FileHandle.WritableFile file) throws IOException {
        long expected = entry.getSize();
        long total = 0;
        while (true) {
            int n;
            try {
                n = data.read(buffer, 0, buffer.length);
            } catch (IOException | RuntimeException e) {
                throw new BadArchiveException(context + ": truncated or corrupt archive: " + e.getMessage(), e);
            }
            if (n < 0) {
                break;
            }
            file.write(buffer, 0, n);
            total += n;
        }
        if (total != expected) {
            throw new BadArchiveException(context + ": truncated entry data (" + total + " of " + expected + " bytes)");
        }
    }

    /** Owner and xattrs of {@code leaf} in {@code dir}, never following a symlink there. */
    private void applyOwnerAndXattrs(FileHandle dir, String leaf, TarArchiveEntry entry) throws IOException {
        if (options.preserveOwnership()) {
            chown(() -> dir.chownChild(leaf, (int) entry.getLongUserId(), (int) entry.getLongGroupId()));
        }
        for (Map.Entry<String, byte[]> x : xattrs(entry).entrySet()) {
            xattr(() -> dir.setChildXattr(leaf, x.getKey(), x.getValue()));
        }
    }

    private Map<String, byte[]> xattrs(TarArchiveEntry entry) {
        if (!options.xattrs()) {
            return Map.of();
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
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
            out.put(xattr, value.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @FunctionalInterface
    private interface Call {
        void run() throws ErrnoException;
    }

    /** Without root, files simply stay owned by us (rootless use, a user's cp -a); as root a failure is real. */
    private void chown(Call call) throws ErrnoException {
        try {
            call.run();
        } catch (ErrnoException e) {
            if (runningAsRoot || e.errno() != FileCalls.EPERM) {
                throw e;
            }
        }
    }

    private void xattr(Call call) throws ErrnoException {
        try {
            call.run();
        } catch (ErrnoException e) {
            if (e.errno() != FileCalls.ENOTSUP && (runningAsRoot || e.errno() != FileCalls.EPERM)) {
                throw e;
            }
        }
    }

    private void closeCachedParent() {
        if (cachedParent != null) {
            cachedParent.close();
            cachedParent = null;
            cachedParentPath = null;
        }
    }

    private static Instant mtime(TarArchiveEntry entry) {
        return entry.getLastModifiedTime().toInstant();
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return parts;
    }
}
