package io.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data-root lock against a holder in another process, and its release when that process dies. */
class DataRootLockTest {
    @TempDir
    Path root;

    @Test
    void readingTheLockFileDoesNotDropTheLock() throws Exception {
        try (DataRootLock mine = DataRootLock.acquire(root)) {
            // an fcntl lock would be gone after this open and close by the same process
            Files.readString(root.resolve(DataRootLock.FILE_NAME));
            Process flock = new ProcessBuilder("flock", "-n", root.resolve(DataRootLock.FILE_NAME).toString(), "true").start();
            assertThat(flock.waitFor()).isEqualTo(1);
        }
    }

    @Test
    void aSecondHolderIsRefusedNamingTheFirstsPidAndTheLockIsFreedWithIt() throws Exception {
        Path file = root.resolve(DataRootLock.FILE_NAME);
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                root.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String line = new String(other.getInputStream().readNBytes(6));
            assertThat(line).isEqualTo("locked");
            assertThatThrownBy(() -> DataRootLock.acquire(root)).isInstanceOf(StartRefusedException.class)
                    .hasMessage("data root " + root + " is in use by another berthd (pid " + other.pid() + "): " + file + " is locked");
        } finally {
            other.destroyForcibly();
            other.waitFor(10, TimeUnit.SECONDS);
        }
        // the holder is gone: the kernel dropped its lock with it
        try (DataRootLock mine = DataRootLock.acquire(root)) {
            assertThat(Files.readString(file).trim()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    /** Takes the lock in its own JVM and keeps it until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            DataRootLock lock = DataRootLock.acquire(Path.of(args[0]));
            System.out.print("locked");
            System.out.flush();
            Thread.sleep(60_000);
            lock.close();
        }
    }
}
