package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProcessLivenessTest {
    @Test
    void aZombieHasEndedThoughTheJdkStillSeesIt() throws Exception {
        // the child outlives the shell (which could otherwise reap it before its exec, as dash does under load); its
        // parent becomes `sleep`, which never waits, so once it ends it stays a zombie while sleep runs
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.3 & echo $!; exec sleep 20").start();
        try {
            int zombie;
            try (var out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.US_ASCII))) {
                zombie = Integer.parseInt(out.readLine().strip());
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (ProcessLiveness.alive(zombie) && System.nanoTime() < deadline) Thread.sleep(10);
            }
            assertThat(ProcessLiveness.alive(zombie)).as("the exited, unreaped child").isFalse();
            assertThat(ProcessHandle.of(zombie).map(ProcessHandle::isAlive).orElse(false))
                    .as("what the JDK says of it (why ProcessLiveness reads the state)").isTrue();
            assertThat(ProcessLiveness.alive((int) parent.pid())).as("the running parent").isTrue();
        } finally {
            parent.destroyForcibly().waitFor();
        }
        assertThat(ProcessLiveness.alive((int) parent.pid())).as("a reaped process").isFalse();
    }

    @Test
    void aConmonIsTheProcessStartedWithItsContainersId() throws Exception {
        String id = "ab".repeat(32);
        Process p = new ProcessBuilder("sh", "-c", "sleep 20; true", "conmon", "--api-version", "1", "-c", id).start();
        try {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!ProcessLiveness.isConmonOf((int) p.pid(), id) && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(ProcessLiveness.isConmonOf((int) p.pid(), id)).isTrue();
            assertThat(ProcessLiveness.isConmonOf((int) p.pid(), "cd".repeat(32))).as("another container's").isFalse();
            assertThat(ProcessLiveness.isConmonOf((int) ProcessHandle.current().pid(), id)).as("a live stranger").isFalse();
            assertThat(ProcessLiveness.isConmonOf(0, id)).isFalse();
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertThat(ProcessLiveness.isConmonOf((int) p.pid(), id)).as("ended").isFalse();
    }
}
