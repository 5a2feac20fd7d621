package io.berth.store;

import io.berth.linux.Libc;
import io.berth.linux.Syscalls;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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

    /** Failures carry errno (ErrnoException, an IOException); anything else goes up unchecked, as it always has. */
    private static final Syscalls SYS = new Syscalls((operation, t) ->
            t instanceof RuntimeException e ? e : new IllegalStateException(t));

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
    private static final MethodHandle GETEUID = Libc.function("geteuid", FunctionDescriptor.of(ValueLayout.JAVA_INT));

    private LinuxFiles() {
    }

    private static MethodHandle bind(String name, ValueLayout result, MemoryLayout... args) {
        return Libc.capturingErrno(name, FunctionDescriptor.of(result, args));
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
        SYS.call("mknod " + path, (a, st) -> (int) MKNOD.invokeExact(st, a.allocateFrom(path.toString()), mode, dev));
    }

    static void lchown(Path path, int uid, int gid) throws IOException {
        SYS.call("lchown " + path, (a, st) -> (int) LCHOWN.invokeExact(st, a.allocateFrom(path.toString()), uid, gid));
    }

    /** chmod with all 12 permission bits; never call on a symlink (chmod follows it). */
    static void chmod(Path path, int mode) throws IOException {
        SYS.call("chmod " + path, (a, st) -> (int) CHMOD.invokeExact(st, a.allocateFrom(path.toString()), mode & 07777));
    }

    static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        SYS.call("lsetxattr " + name + " " + path, (a, st) -> {
            MemorySegment buf = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, buf, ValueLayout.JAVA_BYTE, 0, value.length);
            return (int) LSETXATTR.invokeExact(st, a.allocateFrom(path.toString()), a.allocateFrom(name), buf,
                    (long) value.length, 0);
        });
    }

    /** Sets atime and mtime of the path itself, not of a symlink's target. */
    static void lutimes(Path path, Instant atime, Instant mtime) throws IOException {
        SYS.call("utimensat " + path, (a, st) -> {
            MemorySegment times = a.allocate(ValueLayout.JAVA_LONG, 4);
            times.setAtIndex(ValueLayout.JAVA_LONG, 0, atime.getEpochSecond());
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, atime.getNano());
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, mtime.getEpochSecond());
            times.setAtIndex(ValueLayout.JAVA_LONG, 3, mtime.getNano());
            return (int) UTIMENSAT.invokeExact(st, AT_FDCWD, a.allocateFrom(path.toString()), times, AT_SYMLINK_NOFOLLOW);
        });
    }

    /** glibc's makedev encoding. */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32) | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
    }
}
