package io.berth.build.exec;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns the upper directory of a finished RUN container into layer entries. The upper dir holds exactly what
 * the command changed: new and modified files (with their parent directories copied up), 0/0 character devices
 * for deletions and opaque directories for replaced ones. Files sharing an inode become tar hardlinks to the
 * first name in path order. Mount points the runtime creates (/proc, /sys, /dev, /etc/hosts, /etc/hostname,
 * /etc/resolv.conf) are left out while empty, since Docker keeps them out of layers too; a directory copied up
 * only to hold them, unchanged from the image, goes with them. The same holds for the mount points of RUN --mount
 * ({@code stubs}: each target and the parents the image lacks), which stay out unless the command wrote next to them.
 */
final class UpperDirDiff {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final Set<String> RUNTIME_MOUNTPOINTS =
            Set.of("proc", "sys", "dev", "etc/hosts", "etc/hostname", "etc/resolv.conf");

    private final Path upper;
    private final RootfsView lower;
    private final Map<String, LayerEntry> entries = new TreeMap<>(LayerTarWriter.PATH_ORDER);
    private final Map<String, String> firstByInode = new HashMap<>();
    private final Set<String> stubs;

    private UpperDirDiff(Path upper, RootfsView lower, Set<String> stubs) {
        this.upper = upper;
        this.lower = lower;
        this.stubs = stubs;
    }

    static List<LayerEntry> diff(Path upper, RootfsView lower) throws IOException {
        return diff(upper, lower, Set.of());
    }

    static List<LayerEntry> diff(Path upper, RootfsView lower, Set<String> stubs) throws IOException {
        UpperDirDiff d = new UpperDirDiff(upper, lower, stubs);
        d.walk(upper, "");
        return new ArrayList<>(d.entries.values());
    }

    /** Returns whether anything under {@code dir} (excluding dir itself) was kept. */
    private boolean walk(Path dir, String rel) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        }
        boolean kept = false;
        for (Path child : children) {
            String name = rel.isEmpty() ? child.getFileName().toString() : rel + "/" + child.getFileName();
            kept |= visit(child, name);
        }
        return kept;
    }

    private boolean visit(Path p, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,ino,dev,rdev,nlink", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        int type = mode & S_IFMT;
        if (mountpoint(name) && isEmpty(p, type, a)) {
            return false;
        }
        switch (type) {
            case S_IFDIR -> {
                boolean opaque = Xattrs.isOpaque(p);
                boolean childrenKept = walk(p, name);
                boolean unchanged = !opaque && sameAsLower(name, mode, uid, gid);
                if (!childrenKept && (unchanged || stubs.contains(name)) && copiedUpOnlyForMountpoints(p, name)) {
                    return false;
                }
                entries.put(name, new LayerEntry(name, LayerEntry.Kind.DIRECTORY, mode & 07777, uid, gid, 0, null, null,
                        null, 0, 0, xattrs(p)));
                if (opaque) {
                    entries.put(name + "/.wh..wh..opq", new LayerEntry(name, LayerEntry.Kind.OPAQUE, 0, 0, 0, 0, null,
                            null, null, 0, 0, null));
                }
            }
            case S_IFCHR -> {
                long rdev = (Long) a.get("rdev");
                if (rdev == 0L) {
                    entries.put(name, new LayerEntry(name, LayerEntry.Kind.WHITEOUT, 0, 0, 0, 0, null, null, null, 0, 0, null));
                } else {
                    entries.put(name, device(name, LayerEntry.Kind.CHAR_DEVICE, mode, uid, gid, rdev));
                }
            }
            case S_IFBLK -> entries.put(name, device(name, LayerEntry.Kind.BLOCK_DEVICE, mode, uid, gid, (Long) a.get("rdev")));
            case S_IFIFO -> entries.put(name, new LayerEntry(name, LayerEntry.Kind.FIFO, mode & 07777, uid, gid, 0, null,
                    null, null, 0, 0, xattrs(p)));
            case S_IFLNK -> entries.put(name, new LayerEntry(name, LayerEntry.Kind.SYMLINK, 0777, uid, gid, 0, null, null,
                    Files.readSymbolicLink(p).toString(), 0, 0, xattrs(p)));
            case S_IFREG -> {
                int nlink = (Integer) a.get("nlink");
                String key = a.get("dev") + ":" + a.get("ino");
                String first = nlink > 1 ? firstByInode.putIfAbsent(key, name) : null;
                if (first != null) {
                    entries.put(name, new LayerEntry(name, LayerEntry.Kind.HARDLINK, mode & 07777, uid, gid, 0, null,
                            null, first, 0, 0, null));
                } else {
                    entries.put(name, new LayerEntry(name, LayerEntry.Kind.FILE, mode & 07777, uid, gid,
                            (Long) a.get("size"), p, null, null, 0, 0, xattrs(p)));
                }
            }
            default -> {
                return false; // sockets cannot be archived
            }
        }
        return true;
    }

    private static boolean isEmpty(Path p, int type, Map<String, Object> a) throws IOException {
        if (type == S_IFDIR) {
            try (Stream<Path> s = Files.list(p)) {
                return s.findAny().isEmpty();
            }
        }
        return type == S_IFREG && (Long) a.get("size") == 0L;
    }

    private boolean mountpoint(String name) {
        return RUNTIME_MOUNTPOINTS.contains(name) || stubs.contains(name);
    }

    /** True when the directory holds nothing but (empty) mount points. */
    private boolean copiedUpOnlyForMountpoints(Path dir, String name) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(c -> mountpoint(name + "/" + c.getFileName()));
        }
    }

    private boolean sameAsLower(String name, int mode, int uid, int gid) {
        return lower.find(name).map(p -> {
            try {
                Map<String, Object> l = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                return (Integer) l.get("mode") == mode && (Integer) l.get("uid") == uid && (Integer) l.get("gid") == gid;
            } catch (IOException e) {
                return false;
            }
        }).orElse(false);
    }

    private static LayerEntry device(String name, LayerEntry.Kind kind, int mode, int uid, int gid, long rdev) {
        // glibc's major()/minor() decoding of dev_t
        int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        return new LayerEntry(name, kind, mode & 07777, uid, gid, 0, null, null, null, major, minor, null);
    }

    /**
     * Xattrs worth carrying: not overlayfs's own bookkeeping, and only values that are valid UTF-8 (PAX
     * headers are written as UTF-8 text, so binary values would be corrupted).
     */
    private static Map<String, byte[]> xattrs(Path p) {
        Map<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : Xattrs.read(p).entrySet()) {
            if (e.getKey().startsWith("trusted.overlay.") || e.getKey().startsWith("user.overlay.")
                    || e.getKey().equals("security.selinux")) {
                continue;
            }
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(e.getValue()));
                out.put(e.getKey(), e.getValue());
            } catch (CharacterCodingException ignored) {
                // binary value: see above
            }
        }
        return out;
    }
}
