package io.berth.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static io.berth.linux.Libc.capturingErrno;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The fd-relative file calls ({@code openat2} and the {@code *at} family) with which a tree that someone else
 * may be changing at the same time (a running container's root) is read and written without ever leaving it:
 * a path is resolved by the kernel inside a root ({@code RESOLVE_IN_ROOT}), and everything after that acts on
 * a held descriptor or on a direct child of one, never on a host path. Thin wrappers: the rules of what to
 * resolve how live with their callers (berth-fs).
 *
 * <p>Every layout used here is the same on every {@link LinuxArch} ({@code struct open_how}, {@code struct statx});
 * only openat2's syscall number (glibc has no wrapper) needs the architecture, and it too is 437 on each.
 */
public final class FileCalls {
    public static final int AT_FDCWD = -100;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

    public static final long RESOLVE_NO_XDEV = 0x01;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    public static final long RESOLVE_BENEATH = 0x08;
    public static final long RESOLVE_IN_ROOT = 0x10;

    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EMPTY_PATH = 0x1000;

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENOTSUP = 95;

    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final long STATX_SIZE = 256;

    /** Failures are ErrnoExceptions; a call that could not be made at all is a bug here, so unchecked. */
    private static final Syscalls SYS = new Syscalls((operation, t) ->
            t instanceof RuntimeException e ? e : new IllegalStateException(operation + " call failed", t));

    private static final MethodHandle SYSCALL_OPENAT2 = capturingErrno("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle OPENAT = capturingErrno("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(3));
    private static final MethodHandle CLOSE = capturingErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MKDIRAT = capturingErrno("mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SYMLINKAT = capturingErrno("symlinkat", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle MKNODAT = capturingErrno("mknodat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle LINKAT = capturingErrno("linkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle UNLINKAT = capturingErrno("unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FCHOWNAT = capturingErrno("fchownat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHMOD = capturingErrno("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CHMOD = capturingErrno("chmod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle UTIMENSAT = capturingErrno("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle FUTIMENS = capturingErrno("futimens", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle STATX = capturingErrno("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle READLINKAT = capturingErrno("readlinkat",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle LSETXATTR = capturingErrno("lsetxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle FSETXATTR = capturingErrno("fsetxattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETEUID = Libc.function("geteuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle WRITE = capturingErrno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SENDFILE = capturingErrno("sendfile", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));

    private static final long OPENAT2 = openat2Number(LinuxArch.current());

    private FileCalls() {}

    /** What {@code statx} says about one file (the fields berth uses). */
    public record Stat(int mode, int uid, int gid, long size, int nlink, long ino, int devMajor, int devMinor,
                       int rdevMajor, int rdevMinor, long mtimeSeconds, int mtimeNanos) {
        public int type() {
            return mode & S_IFMT;
        }

        public boolean isDirectory() {
            return type() == S_IFDIR;
        }

        public boolean isSymlink() {
            return type() == S_IFLNK;
        }

        public boolean isRegular() {
            return type() == S_IFREG;
        }
    }

    static long openat2Number(LinuxArch arch) {
        return switch (arch) {
            // openat2 came after the syscall tables were unified: the same number on every architecture.
            case X86_64, AARCH64 -> 437;
        };
    }

    /**
     * openat2(2): {@code path} resolved from {@code dirFd} under {@code resolve} rules. A kernel without openat2
     * (before 5.6) cannot confine a resolution, so that is a clear failure rather than a fallback.
     */
    public static int openat2(int dirFd, String path, int flags, int mode, long resolve) throws ErrnoException {
        return SYS.inArena("openat2 " + path, (a, st) -> {
            MemorySegment how = a.allocate(JAVA_LONG, 3);
            how.setAtIndex(JAVA_LONG, 0, flags & 0xffffffffL);
            how.setAtIndex(JAVA_LONG, 1, mode);
            how.setAtIndex(JAVA_LONG, 2, resolve);
            long fd = (long) SYSCALL_OPENAT2.invokeExact(st, OPENAT2, (long) dirFd, a.allocateFrom(path), how, 24L);
            if (fd < 0) {
                int errno = Libc.errno(st);
                if (errno == ENOSYS) {
                    throw new ErrnoException("openat2 " + path + " (berth needs Linux 5.6 or later to resolve paths"
                            + " inside a container's root)", errno);
                }
                throw new ErrnoException("openat2 " + path, errno);
            }
            return (int) fd;
        });
    }

    public static int openat(int dirFd, String name, int flags, int mode) throws ErrnoException {
        return SYS.call("openat " + name, (a, st) -> (int) OPENAT.invokeExact(st, dirFd, a.allocateFrom(name), flags, mode));
    }

    public static void close(int fd) {
        try {
            SYS.call("close", (a, st) -> (int) CLOSE.invokeExact(st, fd));
        } catch (ErrnoException e) {
            // close(2) releases the descriptor even when it reports an error; there is nothing to retry.
        }
    }

    public static void mkdirat(int dirFd, String name, int mode) throws ErrnoException {
        SYS.call("mkdirat " + name, (a, st) -> (int) MKDIRAT.invokeExact(st, dirFd, a.allocateFrom(name), mode));
    }

    public static void symlinkat(String target, int dirFd, String name) throws ErrnoException {
        SYS.call("symlinkat " + name, (a, st) -> (int) SYMLINKAT.invokeExact(st, a.allocateFrom(target), dirFd, a.allocateFrom(name)));
    }

    public static void mknodat(int dirFd, String name, int mode, long dev) throws ErrnoException {
        SYS.call("mknodat " + name, (a, st) -> (int) MKNODAT.invokeExact(st, dirFd, a.allocateFrom(name), mode, dev));
    }

    public static void linkat(int fromDirFd, String fromName, int toDirFd, String toName, int flags) throws ErrnoException {
        SYS.call("linkat " + toName, (a, st) -> (int) LINKAT.invokeExact(st, fromDirFd, a.allocateFrom(fromName), toDirFd,
                a.allocateFrom(toName), flags));
    }

    public static void unlinkat(int dirFd, String name, int flags) throws ErrnoException {
        SYS.call("unlinkat " + name, (a, st) -> (int) UNLINKAT.invokeExact(st, dirFd, a.allocateFrom(name), flags));
    }

    public static void fchownat(int dirFd, String name, int uid, int gid, int flags) throws ErrnoException {
        SYS.call("fchownat " + name, (a, st) -> (int) FCHOWNAT.invokeExact(st, dirFd, a.allocateFrom(name), uid, gid, flags));
    }

    /** fchmod on an fd opened for reading or writing (an O_PATH fd is refused: use {@link #chmodPath}). */
    public static void fchmod(int fd, int mode) throws ErrnoException {
        SYS.call("fchmod", (a, st) -> (int) FCHMOD.invokeExact(st, fd, mode));
    }

    /** chmod(2) of a path; berth passes only {@code /proc/self/fd/N} of a held, non-symlink fd. */
    public static void chmodPath(String path, int mode) throws ErrnoException {
        SYS.call("chmod " + path, (a, st) -> (int) CHMOD.invokeExact(st, a.allocateFrom(path), mode));
    }

    /** utimensat(2) of {@code name} in {@code dirFd}. Times in seconds and nanoseconds (atime = mtime). */
    public static void utimensat(int dirFd, String name, long seconds, int nanos, int flags) throws ErrnoException {
        SYS.call("utimensat " + name, (a, st) -> (int) UTIMENSAT.invokeExact(st, dirFd, a.allocateFrom(name),
                times(a, seconds, nanos), flags));
    }

    /** futimens(3) of an fd opened for reading or writing. */
    public static void futimens(int fd, long seconds, int nanos) throws ErrnoException {
        SYS.call("futimens", (a, st) -> (int) FUTIMENS.invokeExact(st, fd, times(a, seconds, nanos)));
    }

    private static MemorySegment times(java.lang.foreign.Arena a, long seconds, int nanos) {
        MemorySegment times = a.allocate(JAVA_LONG, 4);
        times.setAtIndex(JAVA_LONG, 0, seconds);
        times.setAtIndex(JAVA_LONG, 1, nanos);
        times.setAtIndex(JAVA_LONG, 2, seconds);
        times.setAtIndex(JAVA_LONG, 3, nanos);
        return times;
    }

    /** statx(2) of {@code name} in {@code dirFd} ("" with AT_EMPTY_PATH: the fd itself). */
    public static Stat statx(int dirFd, String name, int flags) throws ErrnoException {
        return SYS.inArena("statx " + name, (a, st) -> {
            MemorySegment buf = a.allocate(STATX_SIZE, 8);
            Syscalls.check("statx " + name, (int) STATX.invokeExact(st, dirFd, a.allocateFrom(name), flags,
                    STATX_BASIC_STATS, buf), st);
            return new Stat(buf.get(JAVA_SHORT, 28) & 0xffff, buf.get(JAVA_INT, 20), buf.get(JAVA_INT, 24),
                    buf.get(JAVA_LONG, 40), buf.get(JAVA_INT, 16), buf.get(JAVA_LONG, 32),
                    buf.get(JAVA_INT, 136), buf.get(JAVA_INT, 140), buf.get(JAVA_INT, 128), buf.get(JAVA_INT, 132),
                    buf.get(JAVA_LONG, 112), buf.get(JAVA_INT, 120));
        });
    }

    /** readlinkat(2): the target of the symlink {@code name} in {@code dirFd} ("" for an O_PATH fd of one). */
    public static String readlinkat(int dirFd, String name) throws ErrnoException {
        return SYS.inArena("readlinkat " + name, (a, st) -> {
            MemorySegment buf = a.allocate(4096);
            long n = (long) READLINKAT.invokeExact(st, dirFd, a.allocateFrom(name), buf, 4096L);
            if (n < 0) {
                throw new ErrnoException("readlinkat " + name, Libc.errno(st));
            }
            return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        });
    }

    /** lsetxattr(2); berth passes {@code /proc/self/fd/DIR/name}, a direct child of a held directory. */
    public static void lsetxattr(String path, String name, byte[] value) throws ErrnoException {
        SYS.call("lsetxattr " + name + " " + path, (a, st) -> {
            MemorySegment buf = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, buf, JAVA_BYTE, 0, value.length);
            return (int) LSETXATTR.invokeExact(st, a.allocateFrom(path), a.allocateFrom(name), buf, (long) value.length, 0);
        });
    }

    /** fsetxattr(2) on an fd opened for reading or writing. */
    public static void fsetxattr(int fd, String name, byte[] value) throws ErrnoException {
        SYS.call("fsetxattr " + name, (a, st) -> {
            MemorySegment buf = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, buf, JAVA_BYTE, 0, value.length);
            return (int) FSETXATTR.invokeExact(st, fd, a.allocateFrom(name), buf, (long) value.length, 0);
        });
    }

    /** write(2) of all of {@code data[offset, offset+length)}. */
    /**
     * Copies up to {@code count} bytes from {@code in} (from its offset) to {@code out} in the kernel (sendfile(2)),
     * stopping early at the end of the input; returns how many were copied.
     */
    public static long sendfileFully(int out, int in, long count) throws ErrnoException {
        return SYS.inArena("sendfile", (a, st) -> {
            long done = 0;
            while (done < count) {
                long n = (long) SENDFILE.invokeExact(st, out, in, MemorySegment.NULL, Math.min(count - done, 1L << 30));
                if (n < 0) {
                    throw new ErrnoException("sendfile", Libc.errno(st));
                }
                if (n == 0) {
                    break;
                }
                done += n;
            }
            return done;
        });
    }

    public static void writeFully(int fd, byte[] data, int offset, int length) throws ErrnoException {
        SYS.inArena("write", (a, st) -> {
            MemorySegment buf = a.allocate(Math.max(1, length));
            MemorySegment.copy(data, offset, buf, JAVA_BYTE, 0, length);
            long done = 0;
            while (done < length) {
                long n = (long) WRITE.invokeExact(st, fd, buf.asSlice(done), (long) length - done);
                if (n < 0) {
                    throw new ErrnoException("write", Libc.errno(st));
                }
                done += n;
            }
            return null;
        });
    }

    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("geteuid call failed", t);
        }
    }

    /** glibc's makedev encoding. */
    public static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32) | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
    }
}
