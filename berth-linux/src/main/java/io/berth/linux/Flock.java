package io.berth.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * An exclusive flock(2) on a file, held until closed. flock, not the JDK's FileLock (fcntl): an fcntl lock
 * vanishes when the process closes any descriptor of the file, which any later code reading it would do, and it
 * does not exclude other threads of the same process; a flock belongs to this one open descriptor. The kernel
 * drops it when the process ends however it ends, so a kill -9 leaves nothing stale.
 */
public final class Flock implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_CLOEXEC = 0x80000;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int EWOULDBLOCK = 11;
    private static final MethodHandle OPEN = Libc.capturingErrno("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FLOCK = Libc.capturingErrno("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = Libc.function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final int fd;

    private Flock(int fd) {
        this.fd = fd;
    }

    /**
     * Binds the downcalls now (the class's initialisation), so that a caller can pay the first FFM binding of its
     * JVM (~0.1-0.5 s) on another thread while it does other work, before it needs the lock.
     */
    public static void link() {}

    /** Waits until the lock on {@code file} (created 0600 if missing) is this caller's. */
    public static Flock exclusive(Syscalls sys, Path file) throws ErrnoException {
        return lock(sys, file, false).orElseThrow();
    }

    /** The lock, or empty when someone else holds it. */
    public static Optional<Flock> tryExclusive(Syscalls sys, Path file) throws ErrnoException {
        return lock(sys, file, true);
    }

    private static Optional<Flock> lock(Syscalls sys, Path file, boolean noWait) throws ErrnoException {
        int fd = sys.call("open " + file, (a, st) -> (int) OPEN.invokeExact(st, a.allocateFrom(file.toString()),
                O_RDWR | O_CREAT | O_CLOEXEC, 0600));
        try {
            sys.call("flock " + file, (a, st) -> (int) FLOCK.invokeExact(st, fd, LOCK_EX | (noWait ? LOCK_NB : 0)));
            return Optional.of(new Flock(fd));
        } catch (ErrnoException e) {
            close(fd);
            if (noWait && e.errno() == EWOULDBLOCK) return Optional.empty();
            throw e;
        } catch (RuntimeException e) {
            close(fd);
            throw e;
        }
    }

    private static void close(int fd) {
        try {
            int unused = (int) CLOSE.invokeExact(fd);
        } catch (Throwable ignored) {
            // nothing to recover: the process exit releases it anyway
        }
    }

    @Override
    public void close() {
        close(fd);
    }
}
