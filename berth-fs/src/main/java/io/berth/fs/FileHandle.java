package io.berth.fs;

import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static io.berth.linux.FileCalls.AT_EMPTY_PATH;
import static io.berth.linux.FileCalls.AT_REMOVEDIR;
import static io.berth.linux.FileCalls.AT_SYMLINK_NOFOLLOW;
import static io.berth.linux.FileCalls.O_CLOEXEC;
import static io.berth.linux.FileCalls.O_DIRECTORY;
import static io.berth.linux.FileCalls.O_NOFOLLOW;
import static io.berth.linux.FileCalls.O_PATH;

/**
 * A held file descriptor of one file, directory or symlink inside a {@link RootedDir}. What is done through it
 * acts on that object, or on a direct child of it by name without following a symlink there: no path is walked
 * again, so whatever a container does to its tree meanwhile, nothing outside the object (or its directory) is
 * reached. Descriptors are O_PATH unless said otherwise; contents are read by reopening
 * {@code /proc/self/fd/N}, which reaches the same inode without a path walk.
 *
 * <p>Child names must be single components (no "/", not "." or ".."); callers validate them (tar entry
 * names, directory listings).
 */
public final class FileHandle implements AutoCloseable {
    private final int fd;
    private boolean closed;

    FileHandle(int fd) {
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    /** The magic link that reopens this very object; never a path to walk through a container's tree. */
    public Path procPath() {
        return Path.of("/proc/self/fd/" + fd);
    }

    public FileCalls.Stat stat() throws ErrnoException {
        return FileCalls.statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
    }

    /** The target of this symlink. */
    public String readlink() throws ErrnoException {
        return FileCalls.readlinkat(fd, "");
    }

    /** Reads this regular file; callers check the type first (a FIFO would block). */
    public InputStream newInputStream() throws IOException {
        return Files.newInputStream(procPath(), StandardOpenOption.READ);
    }

    /** chmod of this object, which must not be a symlink. */
    public void chmod(int mode) throws ErrnoException {
        FileCalls.chmodPath(procPath().toString(), mode & 07777);
    }

    /** Sets atime and mtime of this object, which must not be a symlink. */
    public void setTimes(long seconds, int nanos) throws ErrnoException {
        FileCalls.utimensat(FileCalls.AT_FDCWD, procPath().toString(), seconds, nanos, 0);
    }

    public void chown(int uid, int gid) throws ErrnoException {
        FileCalls.fchownat(fd, "", uid, gid, AT_EMPTY_PATH);
    }

    /** The names in this directory (not "." and ".."), read through the held descriptor. */
    public List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(procPath())) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    // ---- direct children of this directory, never following a symlink in their place ----

    /** The child {@code name} itself (a symlink there is the symlink). */
    public FileHandle child(String name) throws ErrnoException {
        return new FileHandle(FileCalls.openat(fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0));
    }

    /** The child directory {@code name}; a symlink there fails with ELOOP, another non-directory with ENOTDIR. */
    public FileHandle childDir(String name) throws ErrnoException {
        try {
            return new FileHandle(FileCalls.openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0));
        } catch (ErrnoException e) {
            // O_DIRECTORY reports a symlink as ENOTDIR; callers tell "through a symlink" from "not a directory".
            if (e.errno() == FileCalls.ENOTDIR) {
                FileCalls.Stat st = statChild(name);
                if (st != null && st.isSymlink()) {
                    throw new ErrnoException("openat " + name, FileCalls.ELOOP);
                }
            }
            throw e;
        }
    }

    /** The child's stat, or null when it does not exist. */
    public FileCalls.Stat statChild(String name) throws ErrnoException {
        try {
            return FileCalls.statx(fd, name, AT_SYMLINK_NOFOLLOW);
        } catch (ErrnoException e) {
            if (e.errno() == FileCalls.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    public String readlinkChild(String name) throws ErrnoException {
        return FileCalls.readlinkat(fd, name);
    }

    public void mkdir(String name, int mode) throws ErrnoException {
        FileCalls.mkdirat(fd, name, mode);
    }

    public void symlink(String name, String target) throws ErrnoException {
        FileCalls.symlinkat(target, fd, name);
    }

    public void mknod(String name, int mode, long dev) throws ErrnoException {
        FileCalls.mknodat(fd, name, mode, dev);
    }

    /** A new regular file {@code name} (O_EXCL: never an existing file, never through a symlink), open for writing. */
    public WritableFile createFile(String name, int mode) throws ErrnoException {
        int w = FileCalls.openat(fd, name, FileCalls.O_WRONLY | FileCalls.O_CREAT | FileCalls.O_EXCL | O_NOFOLLOW
                | O_CLOEXEC | FileCalls.O_NOCTTY, mode & 0777);
        return new WritableFile(w);
    }

    /**
     * The regular file {@code name} here, open for reading (never through a symlink there; O_NONBLOCK so that a
     * FIFO swapped in meanwhile cannot block the caller), as a raw descriptor the caller closes.
     */
    public int openChildForReading(String name) throws ErrnoException {
        return FileCalls.openat(fd, name, FileCalls.O_RDONLY | O_NOFOLLOW | O_CLOEXEC | FileCalls.O_NONBLOCK | FileCalls.O_NOCTTY, 0);
    }

    /** A hard link {@code name} here to {@code fromName} in {@code fromDir} (a symlink there is linked itself). */
    public void link(String name, FileHandle fromDir, String fromName) throws ErrnoException {
        FileCalls.linkat(fromDir.fd, fromName, fd, name, 0);
    }

    public void chownChild(String name, int uid, int gid) throws ErrnoException {
        FileCalls.fchownat(fd, name, uid, gid, AT_SYMLINK_NOFOLLOW);
    }

    public void setChildTimes(String name, long seconds, int nanos) throws ErrnoException {
        FileCalls.utimensat(fd, name, seconds, nanos, AT_SYMLINK_NOFOLLOW);
    }

    /** lsetxattr on the child: the walk is the held directory's magic link, then one component, not followed. */
    public void setChildXattr(String name, String xattr, byte[] value) throws ErrnoException {
        FileCalls.lsetxattr(procPath() + "/" + name, xattr, value);
    }

    /** setxattr on this directory ("." below its magic link is the directory itself). */
    public void setDirXattr(String xattr, byte[] value) throws ErrnoException {
        FileCalls.lsetxattr(procPath() + "/.", xattr, value);
    }

    /** Removes the child {@code name} and, for a directory, everything below it. Missing is fine. */
    public void removeChild(String name) throws IOException {
        try {
            FileCalls.unlinkat(fd, name, 0);
            return;
        } catch (ErrnoException e) {
            if (e.errno() == FileCalls.ENOENT) {
                return;
            }
            if (e.errno() != FileCalls.EISDIR && e.errno() != FileCalls.EPERM) {
                throw e;
            }
        }
        try (FileHandle dir = childDir(name)) {
            for (String child : dir.list()) {
                dir.removeChild(child);
            }
        } catch (ErrnoException e) {
            if (e.errno() == FileCalls.ENOENT) {
                return;
            }
            throw e;
        }
        try {
            FileCalls.unlinkat(fd, name, AT_REMOVEDIR);
        } catch (ErrnoException e) {
            if (e.errno() != FileCalls.ENOENT) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            FileCalls.close(fd);
        }
    }

    /** A regular file just created and open for writing; metadata is set through the same descriptor. */
    public static final class WritableFile implements AutoCloseable {
        private final int fd;

        WritableFile(int fd) {
            this.fd = fd;
        }

        public void write(byte[] data, int offset, int length) throws ErrnoException {
            FileCalls.writeFully(fd, data, offset, length);
        }

        /** Copies up to {@code size} bytes of the open file {@code in} here, in the kernel; returns how many. */
        public long copyFrom(int in, long size) throws ErrnoException {
            return FileCalls.sendfileFully(fd, in, size);
        }

        public void chown(int uid, int gid) throws ErrnoException {
            FileCalls.fchownat(fd, "", uid, gid, AT_EMPTY_PATH);
        }

        public void chmod(int mode) throws ErrnoException {
            FileCalls.fchmod(fd, mode & 07777);
        }

        public void setTimes(long seconds, int nanos) throws ErrnoException {
            FileCalls.futimens(fd, seconds, nanos);
        }

        public void setXattr(String xattr, byte[] value) throws ErrnoException {
            FileCalls.fsetxattr(fd, xattr, value);
        }

        @Override
        public void close() {
            FileCalls.close(fd);
        }
    }
}
