package io.berth.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The file syscalls Java's NIO lacks or only offers with symlink-following semantics: mknod (whiteouts, fifos),
 * lchown, lsetxattr, chmod with setuid/setgid/sticky bits, and utimensat without following symlinks. All calls
 * act on the path itself and never follow a final symlink (chmod is only used on non-symlinks).
 */
final class LinuxFiles {
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int EPERM = 1;
    static final int ENOTSUP = 95;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle MKNOD = bind("mknod", ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG);
    private static final MethodHandle LCHOWN = bind("lchown", ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle CHMOD = bind("chmod", ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
    private static final MethodHandle LSETXATTR = bind("lsetxattr", ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
    private static final MethodHandle UTIMENSAT = bind("utimensat", ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
    private static final MethodHandle GETEUID = LINKER.downcallHandle(
            LIBC.find("geteuid").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT));

    private LinuxFiles() {
    }

    private static MethodHandle bind(String name, ValueLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), FunctionDescriptor.of(result, args),
                Linker.Option.captureCallState("errno"));
    }

    /** Thrown with the errno so callers can tolerate specific failures (EPERM when not root, ENOTSUP). */
    static final class ErrnoException extends IOException {
        final int errno;

        ErrnoException(String call, Path path, int errno) {
            super(call + " " + path + ": errno " + errno);
            this.errno = errno;
        }
    }

    static boolean isRoot() {
        try {
            return (int) GETEUID.invokeExact() == 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void mknod(Path path, int mode, int major, int minor) throws IOException {
        long dev = makedev(major, minor);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) MKNOD.invokeExact(state, arena.allocateFrom(path.toString()), mode, dev);
            check(rc, state, "mknod", path);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void lchown(Path path, int uid, int gid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) LCHOWN.invokeExact(state, arena.allocateFrom(path.toString()), uid, gid);
            check(rc, state, "lchown", path);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** chmod with all 12 permission bits; never call on a symlink (chmod follows it). */
    static void chmod(Path path, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) CHMOD.invokeExact(state, arena.allocateFrom(path.toString()), mode & 07777);
            check(rc, state, "chmod", path);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, buf, ValueLayout.JAVA_BYTE, 0, value.length);
            int rc = (int) LSETXATTR.invokeExact(state, arena.allocateFrom(path.toString()),
                    arena.allocateFrom(name), buf, (long) value.length, 0);
            check(rc, state, "lsetxattr " + name, path);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sets atime and mtime of the path itself, not of a symlink's target. */
    static void lutimes(Path path, Instant atime, Instant mtime) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4);
            times.setAtIndex(ValueLayout.JAVA_LONG, 0, atime.getEpochSecond());
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, atime.getNano());
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, mtime.getEpochSecond());
            times.setAtIndex(ValueLayout.JAVA_LONG, 3, mtime.getNano());
            int rc = (int) UTIMENSAT.invokeExact(state, AT_FDCWD, arena.allocateFrom(path.toString()), times,
                    AT_SYMLINK_NOFOLLOW);
            check(rc, state, "utimensat", path);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** glibc's makedev encoding. */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32) | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
    }

    private static void check(int rc, MemorySegment state, String call, Path path) throws ErrnoException {
        if (rc != 0) {
            throw new ErrnoException(call, path, (int) ERRNO.get(state, 0L));
        }
    }
}
