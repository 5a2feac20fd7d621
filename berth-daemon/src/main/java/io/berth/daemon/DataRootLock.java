package io.berth.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.berth.linux.Flock;
import io.berth.linux.Syscalls;
import io.berth.oci.errors.SystemFailureException;

/**
 * DATA-ROOT/berthd.lock, flock'ed for the daemon's lifetime: a second berthd on the same data root would write
 * the same tags, containers and blobs as the first and each would overwrite the other's, so it is refused at
 * start. The kernel drops the lock when the process ends however it ends; the file's content is only the
 * holder's pid, for the refusal's message.
 */
final class DataRootLock implements AutoCloseable {
    static final String FILE_NAME = "berthd.lock";
    private static final Syscalls SYS = new Syscalls((operation, t) -> new SystemFailureException(operation + " call failed", t));

    private final Flock lock;

    private DataRootLock(Flock lock) {
        this.lock = lock;
    }

    /**
     * Starts binding flock's downcalls on a thread of their own: the first FFM binding of a JVM is the largest part of
     * the way to the socket after the JVM's boot, and berthd parses its options and sets up logging meanwhile.
     */
    static void prepare() {
        Thread.ofPlatform().daemon().name("berthd-link-flock").start(Flock::link);
    }

    static DataRootLock acquire(Path dataRoot) throws IOException {
        Path file = dataRoot.resolve(FILE_NAME);
        Optional<Flock> lock = Flock.tryExclusive(SYS, file);
        if (lock.isEmpty()) {
            String holder = Files.readString(file, StandardCharsets.US_ASCII).trim();
            throw new StartRefusedException("data root " + dataRoot + " is in use by another berthd"
                    + (holder.matches("\\d+") ? " (pid " + holder + ")" : "") + ": " + file + " is locked");
        }
        try {
            Files.writeString(file, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            return new DataRootLock(lock.get());
        } catch (IOException | RuntimeException e) {
            lock.get().close();
            throw e;
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
