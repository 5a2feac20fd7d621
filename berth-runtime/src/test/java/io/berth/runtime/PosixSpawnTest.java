package io.berth.runtime;

import io.berth.linux.ErrnoException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spawns real processes through FFM posix_spawnp (no root needed). */
class PosixSpawnTest {
    @TempDir
    Path dir;

    private String run(String script, Map<String, String> env, Path workDir) throws Exception {
        Path out = dir.resolve("out");
        ChildFds fds = new ChildFds().open(0, Path.of("/dev/null"), ChildFds.O_RDONLY)
                .open(1, out, ChildFds.O_WRONLY | ChildFds.O_CREAT | ChildFds.O_APPEND)
                .open(2, out, ChildFds.O_WRONLY | ChildFds.O_CREAT | ChildFds.O_APPEND)
                .open(3, Path.of("/dev/null"), ChildFds.O_RDONLY);
        SpawnedProcess p = PosixSpawn.spawn(List.of("sh", "-c", script), env, workDir, fds);
        assertThat(p.waitFor(Duration.ofSeconds(10))).hasValue(0);
        return Files.readString(out);
    }

    @Test
    void theChildGetsExactlyItsFdsItsEnvironmentAndItsDirectory() throws Exception {
        // an fd of ours without close-on-exec must not reach the child either
        int[] pipe = LinuxCalls.pipe();
        try (FileInputStream leaky = new FileInputStream("/proc/self/fd/" + pipe[0])) {
            String out = run("ls /proc/self/fd; echo \"env=$ONLY\"; pwd", Map.of("ONLY", "this", "PATH", System.getenv("PATH")), dir);
            // 0-3 and the fd ls opens to read the directory
            assertThat(out.lines().filter(l -> l.matches("\\d+")).toList()).containsExactly("0", "1", "2", "3", "4");
            assertThat(out).contains("env=this").contains(dir.toString());
        } finally {
            LinuxCalls.close(pipe[0]);
            LinuxCalls.close(pipe[1]);
        }
    }

    @Test
    void outputThroughADupedPipeAndExitCodes() throws Exception {
        int[] pipe = LinuxCalls.pipe();
        SpawnedProcess p;
        try (FileInputStream in = new FileInputStream("/proc/self/fd/" + pipe[0])) {
            try {
                p = PosixSpawn.spawn(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), System.getenv(), null,
                        new ChildFds().open(0, Path.of("/dev/null"), ChildFds.O_RDONLY).dup(1, pipe[1]).dup(2, pipe[1]));
            } finally {
                LinuxCalls.close(pipe[0]);
                LinuxCalls.close(pipe[1]);
            }
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("out\nerr\n");
        }
        assertThat(p.waitFor(Duration.ofSeconds(10))).hasValue(3);
        assertThat(p.poll()).hasValue(3);
    }

    @Test
    void aMissingProgramIsAnErrorAtSpawnTimeAndAKilledOneReportsTheSignal() throws Exception {
        ChildFds stdio = new ChildFds().open(0, Path.of("/dev/null"), 0).open(1, Path.of("/dev/null"), 1).open(2, Path.of("/dev/null"), 1);
        assertThatThrownBy(() -> PosixSpawn.spawn(List.of("/nonexistent/prog"), Map.of(), null, stdio))
                .isInstanceOf(ErrnoException.class).hasMessageContaining("No such file");
        SpawnedProcess sleeper = PosixSpawn.spawn(List.of("sleep", "60"), System.getenv(), null, stdio);
        assertThat(sleeper.waitFor(Duration.ofMillis(50))).isEmpty();
        assertThat(sleeper.poll()).isEmpty();
        sleeper.destroyForcibly();
        assertThat(sleeper.waitFor(Duration.ofSeconds(10))).hasValue(137);
    }

    @Test
    void theWarmUpStartsNothing() {
        long before = ProcessHandle.current().children().count();
        PosixSpawn.warmUp();
        assertThat(ProcessHandle.current().children().count()).isEqualTo(before);
    }
}
