package io.berth.fs;

import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tars up a held file or directory tree ({@code docker cp} out of a container): entries are named below
 * {@code name}, symlinks are archived as links (never followed), files with several links become tar hardlinks,
 * and ownership, mode and mtime are kept. Sockets are skipped (tar has no type for them); xattrs are not
 * archived. The walk holds a descriptor per directory level and opens each child by name relative to it
 * without following a symlink there, so a container that swaps a directory for a symlink while it is archived
 * gets its own files archived, never the host's.
 */
public final class TreeTarWriter {
    private TreeTarWriter() {
    }

    /** Writes {@code source} (file, dir or symlink) as a tar whose top entry is {@code name}. */
    public static void write(FileHandle source, String name, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        writeTree(tar, source, name, new HashMap<>());
        tar.finish();
        out.flush();
    }

    /**
     * Writes what the directory {@code dir} holds, each child a top-level entry ("bin/", "etc/passwd") and no
     * entry for the directory itself: {@code docker export}'s layout of a container's root.
     */
    public static void writeContents(FileHandle dir, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        writeChildren(tar, dir, "", new HashMap<>());
        tar.finish();
        out.flush();
    }

    private static void writeTree(TarArchiveOutputStream tar, FileHandle node, String name, Map<List<Long>, String> seen)
            throws IOException {
        FileCalls.Stat st = node.stat();
        TarArchiveEntry entry;
        switch (st.type()) {
            case FileCalls.S_IFLNK -> {
                entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                entry.setLinkName(node.readlink());
            }
            case FileCalls.S_IFDIR -> entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            case FileCalls.S_IFREG -> {
                List<Long> key = List.of((long) st.devMajor(), (long) st.devMinor(), st.ino());
                String first = st.nlink() > 1 ? seen.putIfAbsent(key, name) : null;
                if (first != null) {
                    entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
                    entry.setLinkName(first);
                } else {
                    entry = new TarArchiveEntry(name);
                    entry.setSize(st.size());
                }
            }
            case FileCalls.S_IFIFO -> entry = new TarArchiveEntry(name, TarConstants.LF_FIFO);
            case FileCalls.S_IFCHR, FileCalls.S_IFBLK -> {
                entry = new TarArchiveEntry(name, st.type() == FileCalls.S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                entry.setDevMajor(st.rdevMajor());
                entry.setDevMinor(st.rdevMinor());
            }
            default -> {
                return;
            }
        }
        entry.setMode(st.mode() & 07777);
        entry.setIds(st.uid(), st.gid());
        entry.setModTime(FileTime.from(Instant.ofEpochSecond(st.mtimeSeconds(), st.mtimeNanos())));
        tar.putArchiveEntry(entry);
        if (entry.isFile() && !entry.isLink() && entry.getSize() > 0) {
            try (InputStream in = node.newInputStream()) {
                // A file that grew while being archived is cut at the size already written in the header.
                copyExactly(in, tar, entry.getSize());
            }
        }
        tar.closeArchiveEntry();
        if (entry.isDirectory()) {
            writeChildren(tar, node, name.endsWith("/") ? name : name + "/", seen);
        }
    }

    private static void writeChildren(TarArchiveOutputStream tar, FileHandle dir, String prefix, Map<List<Long>, String> seen)
            throws IOException {
        for (String child : dir.list().stream().sorted().toList()) {
            FileHandle handle;
            try {
                handle = dir.child(child);
            } catch (ErrnoException e) {
                if (e.errno() == FileCalls.ENOENT) {
                    continue; // removed while we walked; a running container may do that
                }
                throw e;
            }
            try (handle) {
                writeTree(tar, handle, prefix + child, seen);
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
