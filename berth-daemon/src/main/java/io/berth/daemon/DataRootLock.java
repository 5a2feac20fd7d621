package io.berth.daemon;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.berth.linux.ErrnoException;
import io.berth.linux.Libc;
import io.berth.linux.Syscalls;
import io.berth.oci.errors.SystemFailureException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * DATA-ROOT/berthd.lock, flock'ed for the daemon's lifetime: a second berthd on the same data root would write
 * the same tags, containers and blobs as the first and each would overwrite the other's, so it is refused at
 * start. flock(2), not the JDK's FileLock (fcntl): an fcntl lock vanishes when the process closes any descriptor
 * of the file, which any later code reading it would do; a flock belongs to this one open descriptor. The kernel
 * drops it when the process ends however it ends, so a kill -9 leaves nothing stale; the file's content is only
 * the holder's pid, for the refusal's message.
 */
final class DataRootLock implements AutoCloseable {
    static final String FILE_NAME = "berthd.lock";
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_CLOEXEC = 0x80000;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int EWOULDBLOCK = 11;
    private static final Syscalls SYS = new Syscalls((operation, t) -> new SystemFailureException(operation + " call failed", t));
    private static final MethodHandle OPEN = Libc.capturingErrno("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            java.lang.foreign.Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FLOCK = Libc.capturingErrno("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = Libc.function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final int fd;

    private DataRootLock(int fd) {
        this.fd = fd;
    }

    static DataRootLock acquire(Path dataRoot) throws IOException {
        Path file = dataRoot.resolve(FILE_NAME);
        int fd = SYS.call("open " + file, (a, st) -> (int) OPEN.invokeExact(st, a.allocateFrom(file.toString()),
                O_RDWR | O_CREAT | O_CLOEXEC, 0600));
        try {
            SYS.call("flock " + file, (a, st) -> (int) FLOCK.invokeExact(st, fd, LOCK_EX | LOCK_NB));
            Files.writeString(file, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            return new DataRootLock(fd);
        } catch (ErrnoException e) {
            close(fd);
            if (e.errno() != EWOULDBLOCK) throw e;
            String holder = Files.readString(file, StandardCharsets.US_ASCII).trim();
            throw new StartRefusedException("data root " + dataRoot + " is in use by another berthd"
                    + (holder.matches("\\d+") ? " (pid " + holder + ")" : "") + ": " + file + " is locked");
        } catch (IOException | RuntimeException e) {
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
