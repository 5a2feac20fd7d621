package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime CLI call against fake runtimes (shell scripts): its timeout holds even when the runtime hangs. */
class OciRuntimeCliTest {
    @TempDir
    Path dir;

    private OciRuntimeCli fake(String script, Duration timeout) throws Exception {
        Path bin = dir.resolve("fake-runtime");
        Files.writeString(bin, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new OciRuntimeCli(bin, dir.resolve("state"), timeout);
    }

    @Test
    void aHungRuntimeIsKilledAtTheTimeoutWithWhatItPrinted() throws Exception {
        OciRuntimeCli rt = fake("echo starting; exec sleep 60", Duration.ofSeconds(1));
        long start = System.nanoTime();
        assertThatThrownBy(() -> rt.start("abc", false)).isInstanceOf(SystemFailureException.class)
                .hasMessageContaining("start abc: timed out after 1 s: starting");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aChildLeftHoldingTheOutputDoesNotHoldTheCall() throws Exception {
        OciRuntimeCli rt = fake("sleep 8 & echo done", Duration.ofSeconds(30));
        long start = System.nanoTime();
        assertThat(rt.run("state", "abc")).isEqualTo("done");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    /**
     * While runtime calls run (`crun create/start/delete` take 3-20 ms here, a hung one up to the timeout), reading
     * their output must not hold the virtual-thread scheduler's carriers: with every carrier blocked in read(2),
     * no other virtual thread of berthd (requests, exits, health checks) could run until the runtimes ended.
     */
    @Test
    void runningRuntimeCallsLeaveTheSchedulerFree() throws Exception {
        OciRuntimeCli rt = fake("echo started; exec sleep 3", Duration.ofSeconds(30));
        int calls = Runtime.getRuntime().availableProcessors() + 2;
        java.util.List<Thread> running = new java.util.ArrayList<>();
        for (int i = 0; i < calls; i++) running.add(Thread.ofVirtual().start(() -> rt.run("state", "abc")));
        Thread.sleep(500); // every call spawned and its output being read
        long start = System.nanoTime();
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                // not interrupted
            }
        });
        other.join();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        for (Thread t : running) t.join();
    }

    @Test
    void failuresCarryTheRuntimesOutput() throws Exception {
        OciRuntimeCli rt = fake("echo \"$@\"; echo no such container >&2; exit 3", Duration.ofSeconds(10));
        assertThatThrownBy(() -> rt.kill("abc", 15)).isInstanceOf(SystemFailureException.class)
                .hasMessage("fake-runtime kill failed: --root " + dir.resolve("state") + " kill abc 15\nno such container");
    }

    /** A fake crun: --version says crun, every other call is recorded (and `start` prints what it was asked). */
    private OciRuntimeCli fakeCrun(Path calls) throws Exception {
        return fake("case \"$3\" in --version) echo 'crun version 1.8.1';; *) echo \"$3 $4\" >> " + calls + ";; esac",
                Duration.ofSeconds(10));
    }

    /** The exec FIFO crun makes for a created container {@code id}, with nobody at its read end yet. */
    private Path execFifo(String id) throws Exception {
        Path fifo = dir.resolve("state/" + id + "/exec.fifo");
        Files.createDirectories(fifo.getParent());
        LinuxCalls.mkfifo(fifo.toString(), 0600);
        return fifo;
    }

    /** crun's init of a created container reads its exec FIFO; berthd releases it as `crun start` does, no launch. */
    @Test
    void aCreatedCrunContainerIsReleasedThroughItsExecFifo() throws Exception {
        Path calls = dir.resolve("calls");
        OciRuntimeCli rt = fakeCrun(calls);
        Path fifo = execFifo("abc");
        // the init's side: a reader (read-write here, so the open does not wait for us)
        try (java.io.RandomAccessFile init = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
            rt.start("abc", false);
            assertThat(init.read()).isZero();
        }
        assertThat(fifo).doesNotExist(); // what `crun state` reads as running
        assertThat(calls).doesNotExist();
    }

    @Test
    void withoutAWaitingInitOrWithPoststartHooksTheRuntimeStarts() throws Exception {
        Path calls = dir.resolve("calls");
        OciRuntimeCli rt = fakeCrun(calls);
        Path fifo = execFifo("abc");
        rt.start("abc", false); // nobody reads the FIFO: the init is gone, `crun start` says why
        rt.start("xyz", false); // no FIFO at all
        try (java.io.RandomAccessFile init = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
            rt.start("abc", true); // `crun start` runs the hooks
        }
        assertThat(Files.readAllLines(calls)).containsExactly("start abc", "start xyz", "start abc");
        assertThat(fifo).exists();
    }

    @Test
    void anotherRuntimeIsStartedByItsOwnStart() throws Exception {
        Path calls = dir.resolve("calls");
        OciRuntimeCli rt = fake("case \"$3\" in --version) echo 'runc version 1.1.5';; *) echo \"$3 $4\" >> " + calls + ";; esac",
                Duration.ofSeconds(10));
        Path fifo = execFifo("abc");
        try (java.io.RandomAccessFile init = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
            rt.start("abc", false);
        }
        assertThat(Files.readAllLines(calls)).containsExactly("start abc");
    }
}
