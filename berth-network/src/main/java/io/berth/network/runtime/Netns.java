package io.berth.network.runtime;

import io.berth.linux.ErrnoException;
import io.berth.linux.Syscalls;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static io.berth.linux.Libc.capturingErrno;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A container's persistent network namespace: a file under EXEC-ROOT/netns with the namespace bind-mounted on
 * it, as {@code ip netns add} makes one. It lives from before the runtime creates the container (crun joins it
 * by path) to after netavark's teardown, independent of the container's processes.
 * <p>
 * Made in-process: a short-lived platform thread unshares its own network namespace and bind-mounts
 * /proc/thread-self/ns/net onto the file, then ends (the mount keeps the namespace alive). Measured here
 * (NetworkTimingPrivilegedTest, 2 cores at load 12–15): 4–14 ms against 15–34 ms for spawning util-linux
 * {@code unshare --net=FILE true} (most of either is the kernel making the namespace), and no child process. The thread must be a platform thread of its own: unshare changes the calling kernel thread, which
 * a virtual thread's carrier would carry on into unrelated work.
 */
public final class Netns {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final long MS_BIND = 4096;
    private static final int MNT_DETACH = 2;
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;

    private static final Syscalls SYS = new Syscalls((op, t) -> new SystemFailureException(op + " call failed", t));
    private static final MethodHandle UNSHARE = capturingErrno("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MOUNT = capturingErrno("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = capturingErrno("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle OPEN = capturingErrno("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            java.lang.foreign.Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = capturingErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SETNS = capturingErrno("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final int O_RDONLY_CLOEXEC = 02000000;
    /** The suffix of the marker beside a namespace file that another container joined ({@link #markJoined}). */
    private static final String JOINED = ".joined";

    /** Work done inside a namespace by {@link #inside}. */
    @FunctionalInterface
    public interface Inside<T> {
        T run() throws IOException;
    }

    private Netns() {}

    /** The namespace file of container {@code id}. */
    public static Path path(Path execRoot, String id) {
        return execRoot.resolve("netns").resolve(id);
    }

    /** Whether {@code file} has a namespace mounted on it (a file left empty by a crash has none). */
    public static boolean isMounted(Path file) throws IOException {
        String target = file.toAbsolutePath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals(target)) return true;
        }
        return false;
    }

    /** Makes a new empty namespace at {@code file}; one already there is kept (a start after a crash). */
    public static void create(Path file) throws IOException {
        if (isMounted(file)) return;
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) Files.createFile(file);
        try {
            onOwnThread("creating network namespace " + file, () -> {
                SYS.call("unshare(CLONE_NEWNET)", (a, errno) -> (int) UNSHARE.invokeExact(errno, CLONE_NEWNET));
                SYS.call("mount " + file, (a, errno) -> (int) MOUNT.invokeExact(errno,
                        a.allocateFrom("/proc/thread-self/ns/net"), a.allocateFrom(file.toString()),
                        a.allocateFrom("none"), MS_BIND, java.lang.foreign.MemorySegment.NULL));
                return null;
            });
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Work on a thread of its own that changes namespaces: it may throw what a syscall throws. */
    @FunctionalInterface
    private interface ThreadWork<T> {
        T run() throws Throwable;
    }

    /**
     * {@code work} on a short-lived platform thread, waited for: namespace changes are per kernel thread, and a
     * virtual thread's carrier would carry them on into unrelated work. IOExceptions and RuntimeExceptions are
     * rethrown as they are, anything else wrapped with {@code what}.
     */
    private static <T> T onOwnThread(String what, ThreadWork<T> work) throws IOException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("berth-netns").stackSize(512 * 1024).start(() -> {
            try {
                result.set(work.run());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted " + what, e);
        }
        Throwable f = failure.get();
        if (f instanceof IOException io) throw io;
        if (f instanceof RuntimeException re) throw re;
        if (f != null) throw new IOException(what + ": " + f.getMessage(), f);
        return result.get();
    }

    /**
     * Mounts the namespace on {@code from} on {@code to} as well (a file made for it), as a second name: either can
     * then be unmounted and the namespace lives on through the other. What hands a namespace from one owner's
     * records to another's without a moment in which neither holds it ({@link PrewiredNamespaces}).
     */
    public static void bind(Path from, Path to) throws IOException {
        if (isMounted(to)) return;
        Files.createDirectories(to.getParent());
        if (!Files.exists(to)) Files.createFile(to);
        try {
            SYS.call("mount " + to, (a, errno) -> (int) MOUNT.invokeExact(errno, a.allocateFrom(from.toString()),
                    a.allocateFrom(to.toString()), a.allocateFrom("none"), MS_BIND, java.lang.foreign.MemorySegment.NULL));
        } catch (ErrnoException e) {
            Files.deleteIfExists(to);
            throw new IOException("mounting network namespace " + from + " on " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} on a short-lived platform thread that has joined the namespace on {@code file} (setns): what
     * it reads under /proc/thread-self/net and /proc/sys/net, and every process it spawns, are that namespace's. The
     * thread ends with the work, so no other work ever runs in the namespace by accident (a virtual thread's carrier
     * would carry it on).
     */
    public static <T> T inside(Path file, Inside<T> work) throws IOException {
        return onOwnThread("working inside network namespace " + file, () -> {
            int fd = SYS.call("open " + file, (a, errno) -> (int) OPEN.invokeExact(errno, a.allocateFrom(file.toString()), O_RDONLY_CLOEXEC, 0));
            try {
                SYS.call("setns " + file, (a, errno) -> (int) SETNS.invokeExact(errno, fd, CLONE_NEWNET));
            } finally {
                SYS.call("close", (a, errno) -> (int) CLOSE.invokeExact(errno, fd));
            }
            return work.run();
        });
    }

    /**
     * Notes that a container joined the namespace on {@code file} ({@code --network container:}), before it does: such
     * a namespace's interface is never handed to another container ({@link PrewiredNamespaces#recycle}), whatever the
     * joiner did to it. The marker lives beside the file and goes with it ({@link #delete}).
     */
    public static void markJoined(Path file) throws IOException {
        Path marker = file.resolveSibling(file.getFileName() + JOINED);
        if (!Files.exists(marker)) Files.createFile(marker);
    }

    /** Whether a container ever joined the namespace on {@code file} ({@link #markJoined}). */
    public static boolean wasJoined(Path file) {
        return Files.exists(file.resolveSibling(file.getFileName() + JOINED));
    }

    /** Unmounts and removes {@code file}; nothing there is fine. */
    public static void delete(Path file) throws IOException {
        try {
            SYS.call("umount2 " + file, (a, errno) -> (int) UMOUNT2.invokeExact(errno, a.allocateFrom(file.toString()), MNT_DETACH));
        } catch (ErrnoException e) {
            if (e.errno() != EINVAL && e.errno() != ENOENT) throw new IOException(e.getMessage(), e);
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + JOINED));
    }
}
