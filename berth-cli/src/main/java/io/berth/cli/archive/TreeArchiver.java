package io.berth.cli.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a local file or directory tree as a tar, the way {@code cp} sends it to the archive API:
 * the tree's root is named {@code rootName} (or left out when null, which copies a directory's
 * contents), symlinks are stored as links, entries come in sorted order.
 */
public final class TreeArchiver {

    private TreeArchiver() {}

    public static void write(Path source, String rootName, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            if (rootName != null) {
                add(tar, source, rootName);
            }
            if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                List<Path> children;
                try (Stream<Path> walk = Files.walk(source)) {
                    children = walk.filter(p -> !p.equals(source)).sorted().toList();
                }
                for (Path p : children) {
                    String rel = source.relativize(p).toString();
                    add(tar, p, rootName == null ? rel : rootName + "/" + rel);
                }
            }
            tar.finish();
        }
    }

    private static void add(TarArchiveOutputStream tar, Path p, String name) throws IOException {
        addFromDisk(tar, p, name, true);
    }

    /**
     * Adds one file, directory or symlink as it is on disk (other types are skipped). Ownership is the
     * file's, or root's when {@code keepOwner} is false (a build context). A regular file contributes exactly
     * the size its header announces, so a file that grows meanwhile cannot corrupt the archive.
     */
    static void addFromDisk(TarArchiveOutputStream tar, Path p, String name, boolean keepOwner) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry entry;
        if (attrs.isSymbolicLink()) {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (attrs.isDirectory()) {
            entry = new TarArchiveEntry(name + "/");
        } else if (attrs.isRegularFile()) {
            entry = new TarArchiveEntry(name);
            entry.setSize(attrs.size());
        } else {
            return;
        }
        entry.setMode((int) (typeBits(attrs) | permissionBits(attrs.permissions()) | specialBits(p)));
        entry.setModTime(new Date(attrs.lastModifiedTime().toMillis()));
        if (keepOwner) {
            Map<String, Object> unix = Files.readAttributes(p, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
            entry.setUserId(((Number) unix.get("uid")).longValue());
            entry.setGroupId(((Number) unix.get("gid")).longValue());
        } else {
            entry.setUserId(0);
            entry.setGroupId(0);
        }
        tar.putArchiveEntry(entry);
        if (attrs.isRegularFile()) {
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                long copied = in.transferTo(new BoundedOutput(tar, attrs.size()));
                if (copied < attrs.size()) throw new IOException("file shrank while being archived: " + p);
            }
        }
        tar.closeArchiveEntry();
    }

    /** Passes at most {@code limit} bytes on and drops the rest; counts what it received. */
    private static final class BoundedOutput extends OutputStream {
        private final OutputStream out;
        private long remaining;

        BoundedOutput(OutputStream out, long limit) {
            this.out = out;
            this.remaining = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, remaining);
            if (n > 0) {
                out.write(b, off, n);
                remaining -= n;
            }
        }
    }

    private static long typeBits(PosixFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return 0120000;
        }
        return attrs.isDirectory() ? 040000 : 0100000;
    }

    private static long specialBits(Path p) throws IOException {
        Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return ((Number) mode).longValue() & 07000;
    }

    static long permissionBits(Set<PosixFilePermission> perms) {
        long mode = 0;
        for (PosixFilePermission perm : perms) {
            mode |= switch (perm) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return mode;
    }
}
