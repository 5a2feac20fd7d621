package io.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data-root lock against a holder in another process, and its release when that process dies. */
class DataRootLockTest {
    @TempDir
    Path root;

    @Test
    void aSecondAcquireInTheSameJvmIsRefusedAndTheFirstKeepsTheLock() throws Exception {
        Path file = root.resolve(DataRootLock.FILE_NAME);
        try (DataRootLock mine = DataRootLock.acquire(root)) {
            assertThatThrownBy(() -> DataRootLock.acquire(root)).isInstanceOf(StartRefusedException.class)
                    .hasMessage("data root " + root + " is in use by another berthd (pid " + ProcessHandle.current().pid()
                            + "): " + file + " is locked");
            // an fcntl lock is gone once its process closes any descriptor of the file: the refusal opened none
            assertThat(holderSays(root)).startsWith("refused: data root " + root + " is in use by another berthd (pid "
                    + ProcessHandle.current().pid() + ")");
        }
        assertThat(holderSays(root)).isEqualTo("locked"); // closed: free for the next
    }

    @Test
    void anotherProcessReadingTheLockFileLeavesTheLockAndTheLockBindsNoForeignFunction() throws Exception {
        Path classes = root.resolve("classes.log");
        Process other = holder(root, "-Xlog:class+load:file=" + classes);
        try {
            assertThat(new String(other.getInputStream().readNBytes(6))).isEqualTo("locked");
            // a reader in another process (as a refused berthd reads the holder's pid) drops nothing of the holder's
            assertThat(new ProcessBuilder("cat", root.resolve(DataRootLock.FILE_NAME).toString()).start().waitFor()).isZero();
            assertThatThrownBy(() -> DataRootLock.acquire(root)).isInstanceOf(StartRefusedException.class);
            // the lock is the JDK's (JNI): FFM's first binding, the longest step to berthd's socket, is not on its path
            assertThat(Files.readAllLines(classes)).isNotEmpty()
                    .noneMatch(l -> l.contains(" jdk.internal.foreign.abi.DowncallLinker "));
        } finally {
            other.destroyForcibly();
            other.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecondHolderIsRefusedNamingTheFirstsPidAndTheLockIsFreedWithIt() throws Exception {
        Path file = root.resolve(DataRootLock.FILE_NAME);
        Process other = holder(root);
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

    private static Process holder(Path root, String... jvmOptions) throws Exception {
        var cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Holder.class.getName(), root.toString()));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** What a holder in another JVM says: "locked", or "refused: " and the refusal. */
    private static String holderSays(Path root) throws Exception {
        Process p = holder(root);
        String said = new String(p.getInputStream().readNBytes(6)); // "locked", then it waits; or a refusal, then it ends
        if (!said.equals("locked")) said += new String(p.getInputStream().readAllBytes());
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return said;
    }

    /** Takes the lock in its own JVM and keeps it until killed; says "refused: ..." and ends if it cannot. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            DataRootLock lock;
            try {
                lock = DataRootLock.acquire(Path.of(args[0]));
            } catch (StartRefusedException e) {
                System.out.print("refused: " + e.getMessage());
                return;
            }
            System.out.print("locked");
            System.out.flush();
            Thread.sleep(60_000);
            lock.close();
        }
    }
}
