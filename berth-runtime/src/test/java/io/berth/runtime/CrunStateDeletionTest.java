package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berthd's own deletion of an ended crun container's state: all of it, or nothing for `crun delete` to miss. */
class CrunStateDeletionTest {
    @TempDir
    Path root;

    private Path state() throws Exception {
        Path dir = Files.createDirectories(root.resolve("abc"));
        // pid 0: no process to be alive; no cgroup path: nothing under /sys/fs/cgroup is touched
        Files.writeString(dir.resolve("status"), "{\"pid\":0,\"process-start-time\":0,\"cgroup-path\":\"\"}");
        Files.writeString(dir.resolve("config.json"), "{\"ociVersion\":\"1.0.2\"}");
        return dir;
    }

    @Test
    void anEndedContainersPlainStateGoesWhole() throws Exception {
        Path dir = state();
        Files.writeString(dir.resolve("seccomp.bpf"), "x");
        assertThat(CrunStateDeletion.delete(dir, true)).isTrue();
        assertThat(dir).doesNotExist();
    }

    /** What it does not know (here a directory in the state) is crun's: nothing is deleted, status least of all. */
    @Test
    void aStateWithMoreThanPlainFilesIsLeftWholeToCrunDelete() throws Exception {
        Path dir = state();
        Files.createDirectories(dir.resolve("notify"));
        assertThat(CrunStateDeletion.delete(dir, true)).isFalse();
        assertThat(dir.resolve("status")).exists();
        assertThat(dir.resolve("config.json")).exists();
    }

    @Test
    void hooksAreLeftToCrunDelete() throws Exception {
        Path dir = state();
        Files.writeString(dir.resolve("config.json"), "{\"hooks\":{\"poststop\":[{\"path\":\"/bin/true\"}]}}");
        assertThat(CrunStateDeletion.delete(dir, true)).isFalse();
        assertThat(dir.resolve("status")).exists();
    }
}
