package io.berth.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the real epoll/inotify/pidfd watcher with files and processes of our own (no root needed). */
class ExitWatcherTest {
    @TempDir
    Path dir;
    ExitWatcher watcher;
    Process sleeper;

    @BeforeEach
    void setUp() throws Exception {
        watcher = new ExitWatcher();
        sleeper = new ProcessBuilder("sleep", "60").start();
    }

    @AfterEach
    void tearDown() {
        sleeper.destroyForcibly();
        watcher.close();
    }

    private int pid() {
        return (int) sleeper.pid();
    }

    @Test
    void firesWhenTheExitFileIsRenamedIntoPlaceAndIgnoresOtherNames() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        Path exitFile = dir.resolve("c1");
        watcher.watch(exitFile, pid(), fired::countDown);
        Files.writeString(dir.resolve("other"), "0");
        Files.writeString(dir.resolve("c1.tmp"), "0");
        assertThat(fired.await(200, TimeUnit.MILLISECONDS)).isFalse();
        Files.move(dir.resolve("c1.tmp"), exitFile, StandardCopyOption.ATOMIC_MOVE);
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void firesWhenTheMonitorDiesWithoutWritingTheExitFile() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        watcher.watch(dir.resolve("c2"), pid(), fired::countDown);
        assertThat(fired.await(100, TimeUnit.MILLISECONDS)).isFalse();
        sleeper.destroyForcibly().waitFor();
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void firesAtOnceForAnExitThatAlreadyHappened() throws Exception {
        Files.writeString(dir.resolve("c3"), "0");
        CountDownLatch fileThere = new CountDownLatch(1);
        watcher.watch(dir.resolve("c3"), pid(), fileThere::countDown);
        assertThat(fileThere.await(5, TimeUnit.SECONDS)).isTrue();

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        CountDownLatch monitorGone = new CountDownLatch(1);
        watcher.watch(dir.resolve("c4"), (int) gone.pid(), monitorGone::countDown);
        assertThat(monitorGone.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void firesOnceAndNotAfterCancel() throws Exception {
        AtomicInteger count = new AtomicInteger();
        CountDownLatch fired = new CountDownLatch(1);
        watcher.watch(dir.resolve("c5"), pid(), () -> {
            count.incrementAndGet();
            fired.countDown();
        });
        Files.writeString(dir.resolve("c5"), "0");
        sleeper.destroyForcibly().waitFor();
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();

        Path other = Files.createDirectory(dir.resolve("other-dir"));
        AtomicInteger cancelled = new AtomicInteger();
        watcher.watch(other.resolve("c6"), 0, cancelled::incrementAndGet).cancel();
        Files.writeString(other.resolve("c6"), "0");
        Thread.sleep(200);
        assertThat(count).hasValue(1);
        assertThat(cancelled).hasValue(0);
    }
}
