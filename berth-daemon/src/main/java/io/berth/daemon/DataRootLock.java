package io.berth.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * DATA-ROOT/berthd.lock, locked for the daemon's lifetime: a second berthd on the same data root would write
 * the same tags, containers and blobs as the first and each would overwrite the other's, so it is refused at
 * start. The kernel drops the lock when the process ends however it ends; the file's content is only the
 * holder's pid, for the refusal's message.
 *
 * <p>The lock is the JDK's {@link FileLock}: on Linux a classic fcntl record lock ({@code F_SETLK}, measured with
 * strace on JDK 25), taken without FFM. FFM's first binding in a JVM (~0.2-0.25 s, and more under load) was the
 * longest step on the way to berthd's socket. An fcntl lock has two traps, and both are closed here:
 * <ul>
 *   <li>it vanishes when the process closes <em>any</em> descriptor of the file: so the pid is written through
 *       the locked channel, and nothing else in berthd opens this file (DataRootLockTest holds that a read of it by
 *       another process leaves the lock, DaemonStartupTest that a working berthd still refuses a second one);</li>
 *   <li>it does not exclude the same process: a second acquire in this JVM (tests start daemons in one JVM) is
 *       refused from {@link #HELD} before it opens the file, whose close would drop the first holder's lock.</li>
 * </ul>
 * Children never inherit the descriptor: berth's posix_spawn closes every descriptor above stdio, as the JDK's
 * ProcessBuilder does.
 */
final class DataRootLock implements AutoCloseable {
    static final String FILE_NAME = "berthd.lock";
    /** The lock files this JVM holds (absolute, normalized). */
    private static final Set<Path> HELD = new HashSet<>();

    private final Path file;
    private final FileChannel channel;

    private DataRootLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    static DataRootLock acquire(Path dataRoot) throws IOException {
        Path file = dataRoot.resolve(FILE_NAME).toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.contains(file)) throw refused(dataRoot, file, ProcessHandle.current().pid() + "");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                FileLock lock = tryLock(channel);
                if (lock == null) throw refused(dataRoot, file, holder(channel));
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                HELD.add(file);
                return new DataRootLock(file, channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // another channel of this JVM holds it (HELD makes this unreachable; kept for safety)
        }
    }

    /** The holder's pid as it wrote it, read through this channel (a second open and close would be one more descriptor). */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    }

    private static StartRefusedException refused(Path dataRoot, Path file, String holder) {
        return new StartRefusedException("data root " + dataRoot + " is in use by another berthd"
                + (holder.matches("\\d+") ? " (pid " + holder + ")" : "") + ": " + file + " is locked");
    }

    @Override
    public void close() {
        synchronized (HELD) {
            try {
                channel.close(); // releases the lock
            } catch (IOException ignored) {
                // the process exit releases it anyway
            }
            HELD.remove(file);
        }
    }
}
