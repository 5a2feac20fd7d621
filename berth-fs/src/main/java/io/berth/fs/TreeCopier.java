package io.berth.fs;

import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies the content of a held directory into a held, empty directory, keeping owners, modes and mtimes, symlinks as
 * symlinks (never followed), files with several links as hard links, and FIFOs; sockets are skipped and device
 * nodes refused, as {@link TreeTarWriter} and {@link TarApplier} together do for a host directory. It is their
 * direct equivalent for volume copy-up: no tar encoding, and file data moves in the kernel (sendfile).
 * <p>
 * Both sides are walked by descriptor: each source child is opened by name relative to its held directory without
 * following a symlink there, each destination entry is created by name in its held directory with O_EXCL or
 * mkdirat, so nothing a source tree's symlinks point at is read and nothing outside the destination is written.
 * A directory's own owner, mode and mtime are set after its children, so a read-only or setgid directory is filled
 * first; a chown comes before the chmod it would otherwise clear set-id bits of.
 */
public final class TreeCopier {
    /** Where the first name of a multiply-linked file was written: its directory (relative to the target) and name. */
    private record First(String dir, String name) {}

    private final RootedDir target;
    private final Map<List<Long>, First> links = new HashMap<>();

    private TreeCopier(RootedDir target) {
        this.target = target;
    }

    /**
     * Copies what is in {@code source} into {@code target}'s root, which should be empty, then gives that root the
     * source directory's owner, mode and mtime.
     */
    public static void copyContents(FileHandle source, RootedDir target) throws IOException {
        TreeCopier c = new TreeCopier(target);
        c.copyDir(source, target.handle(), "");
        setDirMeta(target.handle(), source.stat());
    }

    private void copyDir(FileHandle from, FileHandle to, String rel) throws IOException {
        for (String name : from.list()) {
            FileCalls.Stat st = from.statChild(name);
            if (st == null) continue; // removed while we walked
            String path = rel.isEmpty() ? name : rel + "/" + name;
            switch (st.type()) {
                case FileCalls.S_IFDIR -> {
                    to.mkdir(name, 0700);
                    try (FileHandle src = from.childDir(name); FileHandle dst = to.childDir(name)) {
                        copyDir(src, dst, path);
                        setDirMeta(dst, st);
                    }
                }
                case FileCalls.S_IFREG -> copyFile(from, to, rel, name, st);
                case FileCalls.S_IFLNK -> {
                    to.symlink(name, from.readlinkChild(name));
                    to.chownChild(name, st.uid(), st.gid());
                    to.setChildTimes(name, st.mtimeSeconds(), st.mtimeNanos());
                }
                case FileCalls.S_IFIFO -> {
                    to.mknod(name, FileCalls.S_IFIFO | 0600, 0);
                    to.chownChild(name, st.uid(), st.gid());
                    try (FileHandle fifo = to.child(name)) {
                        fifo.chmod(st.mode());
                        fifo.setTimes(st.mtimeSeconds(), st.mtimeNanos());
                    }
                }
                case FileCalls.S_IFCHR, FileCalls.S_IFBLK -> throw new IOException("refusing to copy device node " + path);
                default -> {
                    // a socket: nothing to copy
                }
            }
        }
    }

    private void copyFile(FileHandle from, FileHandle to, String rel, String name, FileCalls.Stat st) throws IOException {
        if (st.nlink() > 1) {
            List<Long> key = List.of((long) st.devMajor(), (long) st.devMinor(), st.ino());
            First first = links.putIfAbsent(key, new First(rel, name));
            if (first != null) {
                try (FileHandle firstDir = first.dir().isEmpty() ? null : target.resolveDir(first.dir(), RootedDir.Links.REFUSE)) {
                    to.link(name, firstDir == null ? target.handle() : firstDir, first.name());
                }
                return;
            }
        }
        int in = from.openChildForReading(name);
        try (FileHandle.WritableFile out = to.createFile(name, 0600)) {
            if (st.size() > 0) out.copyFrom(in, st.size());
            out.chown(st.uid(), st.gid());
            out.chmod(st.mode());
            out.setTimes(st.mtimeSeconds(), st.mtimeNanos());
        } finally {
            FileCalls.close(in);
        }
    }

    private static void setDirMeta(FileHandle dir, FileCalls.Stat st) throws ErrnoException {
        dir.chown(st.uid(), st.gid());
        dir.chmod(st.mode());
        dir.setTimes(st.mtimeSeconds(), st.mtimeNanos());
    }
}
