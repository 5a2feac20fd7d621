package io.berth.store;

import io.berth.oci.errors.NotFoundException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Tars up a file or directory tree for {@code docker cp} out of a container: entries are named below
 * {@code name}, symlinks are archived as links (never followed), files with several links become tar
 * hardlinks, and ownership, mode and mtime are kept. Sockets are skipped (tar has no type for them). Extended
 * attributes are not archived. Resolve the source with {@link ScopedPath} first.
 */
public final class DirectoryTar {
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private DirectoryTar() {
    }

    /** Writes {@code source} (file, dir or symlink) as a tar whose top entry is {@code name}. */
    public static void write(Path source, String name, OutputStream out) throws IOException {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotFoundException("No such file or directory: " + name);
        }
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        writeTree(tar, source, name, new HashMap<>());
        tar.finish();
        out.flush();
    }

    private static void writeTree(TarArchiveOutputStream tar, Path path, String name, Map<Object, String> seen)
            throws IOException {
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(path, "unix:mode,uid,gid,lastModifiedTime,nlink,ino,dev,rdev,size",
                    LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return; // removed while we walked; a running container may do that
        }
        int mode = (Integer) attrs.get("mode");
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(path)) {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            Object key = List.of(attrs.get("dev"), attrs.get("ino"));
            String first = (Integer) attrs.get("nlink") > 1 ? seen.putIfAbsent(key, name) : null;
            if (first != null) {
                entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
                entry.setLinkName(first);
            } else {
                entry = new TarArchiveEntry(name);
                entry.setSize((Long) attrs.get("size"));
            }
        } else if ((mode & S_IFMT) == S_IFIFO) {
            entry = new TarArchiveEntry(name, TarConstants.LF_FIFO);
        } else if ((mode & S_IFMT) == S_IFCHR || (mode & S_IFMT) == S_IFBLK) {
            entry = new TarArchiveEntry(name, (mode & S_IFMT) == S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
            long rdev = (Long) attrs.get("rdev");
            entry.setDevMajor((int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL)));
            entry.setDevMinor((int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL)));
        } else {
            return;
        }
        entry.setMode(mode & 07777);
        entry.setIds((Integer) attrs.get("uid"), (Integer) attrs.get("gid"));
        entry.setModTime((FileTime) attrs.get("lastModifiedTime"));
        tar.putArchiveEntry(entry);
        if (entry.isFile() && !entry.isLink() && entry.getSize() > 0) {
            try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                // A file that grew while being archived is cut at the size already written in the header.
                copyExactly(in, tar, entry.getSize());
            }
        }
        tar.closeArchiveEntry();
        if (entry.isDirectory()) {
            List<Path> children;
            try (Stream<Path> list = Files.list(path)) {
                children = list.sorted().toList();
            }
            for (Path child : children) {
                writeTree(tar, child, (name.endsWith("/") ? name : name + "/") + child.getFileName(), seen);
            }
        }
    }

    private static void copyExactly(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[65536];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                // The file shrank: pad with zeros so the archive stays well-formed.
                out.write(new byte[(int) Math.min(buf.length, left)]);
                left -= Math.min(buf.length, left);
                continue;
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }
}
