package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The docker CLI against berthd where exec, stdin, wait, stop and kill must answer as Docker does: exit codes,
 * messages, every byte of input, and waits that end.
 */
@Tag("privileged")
class DockerCliExecStopTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("exec-stop");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void execOfAMissingOrUnexecutableCommandExits126WithDockersMessage() throws Exception {
        daemon.docker("run", "-d", "--name", "ex-missing", "busybox", "sleep", "600").orFail();
        Cmd.Result missing = daemon.docker("exec", "ex-missing", "nosuch");
        assertThat(missing.exitCode()).isEqualTo(126);
        assertThat(missing.stdout()).contains("OCI runtime exec failed: exec failed: unable to start container process: "
                + "exec: \"nosuch\": executable file not found in $PATH: unknown");
        assertThat(missing.stderr()).doesNotContain("crun").doesNotContain("`nosuch`");

        Cmd.Result notExecutable = daemon.docker("exec", "ex-missing", "/etc/passwd");
        assertThat(notExecutable.exitCode()).isEqualTo(126);
        assertThat(notExecutable.stdout()).contains("exec: \"/etc/passwd\": permission denied");

        Cmd.Result onTerminal = daemon.docker("exec", "-t", "ex-missing", "nosuch");
        assertThat(onTerminal.exitCode()).isEqualTo(126);
        assertThat(onTerminal.stdout()).contains("exec: \"nosuch\": executable file not found in $PATH")
                .doesNotContain("`nosuch`");

        // a process that exits 255 itself keeps its code and its own output
        Cmd.Result own = daemon.docker("exec", "ex-missing", "sh", "-c", "echo out; echo err >&2; exit 255");
        assertThat(own.exitCode()).isEqualTo(255);
        assertThat(own.stdout()).isEqualTo("out\n");
        assertThat(own.stderr()).isEqualTo("err\n");
        daemon.docker("rm", "-f", "ex-missing").orFail();
    }

    /**
     * A detached exec's output goes nowhere, as in Docker: a process that writes more than a pipe holds runs to its
     * end (it stayed blocked on its full stdout pipe, unread, once it had written 64 KiB).
     */
    @Test
    void aDetachedExecThatWritesMuchRunsToItsEnd() throws Exception {
        daemon.docker("run", "-d", "--name", "ex-detached", "busybox", "sleep", "600").orFail();
        daemon.docker("exec", "-d", "ex-detached", "sh", "-c",
                "head -c 4000000 /dev/zero; head -c 4000000 /dev/zero >&2; touch /tmp/done").orFail();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (daemon.docker("exec", "ex-detached", "test", "-e", "/tmp/done").exitCode() != 0) {
            assertThat(System.nanoTime()).as("the detached exec ended").isLessThan(deadline);
            Thread.sleep(200);
        }
        // a later exec still streams its output
        assertThat(daemon.docker("exec", "ex-detached", "sh", "-c", "echo out; echo err >&2").orFail().out()).isEqualTo("out");
        daemon.docker("rm", "-f", "ex-detached").orFail();
    }

    @Test
    void anExecWhoseClientWentAwayRunsToItsEnd() throws Exception {
        daemon.docker("run", "-d", "--name", "ex-gone", "busybox", "sleep", "600").orFail();
        // the client reads a little, then dies: the process must not stay blocked on the output nobody reads
        ProcessBuilder exec = new ProcessBuilder("/usr/local/bin/docker", "exec", "ex-gone", "sh", "-c",
                "head -c 4000000 /dev/zero; head -c 4000000 /dev/zero >&2; touch /tmp/done")
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.PIPE);
        exec.environment().put("DOCKER_HOST", daemon.host());
        Process client = exec.start();
        try (var out = client.getInputStream()) {
            assertThat(out.readNBytes(1024)).hasSize(1024);
            client.destroyForcibly().waitFor();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (daemon.docker("exec", "ex-gone", "test", "-e", "/tmp/done").exitCode() != 0) {
            assertThat(System.nanoTime()).as("the exec whose client went away ended").isLessThan(deadline);
            Thread.sleep(200);
        }
        daemon.docker("rm", "-f", "ex-gone").orFail();
    }

    @Test
    void waitReturnsWhenARestartAlwaysContainerStops() throws Exception {
        daemon.docker("run", "-d", "--name", "wait-always", "--restart", "always", "busybox", "sh", "-c", "sleep 1; exit 3").orFail();
        long start = System.nanoTime();
        Cmd.Result waited = Cmd.run(List.of("/usr/local/bin/docker", "wait", "wait-always"), Map.of("DOCKER_HOST", daemon.host()),
                null, Duration.ofSeconds(30));
        assertThat(waited.orFail().out()).isEqualTo("3");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        // the API's conditions: not-running (the default), next-exit; a condition Docker does not know is a 400
        assertThat(lastLine(daemon.curl("-X", "POST", "http://berthd/v1.43/containers/wait-always/wait?condition=not-running")))
                .isEqualTo("200");
        Cmd.Result bad = daemon.curl("-X", "POST", "http://berthd/v1.43/containers/wait-always/wait?condition=sometime");
        assertThat(lastLine(bad)).isEqualTo("400");
        daemon.docker("rm", "-f", "wait-always").orFail();
    }

    @Test
    void stopAndRestartSendTheSignalTheyAreGiven() throws Exception {
        // PID 1 ignores SIGTERM unless it handles it: only the given signal ends it at once
        String script = "trap 'exit 7' USR1; while true; do sleep 0.2; done";
        daemon.docker("run", "-d", "--name", "stop-sig", "busybox", "sh", "-c", script).orFail();
        long start = System.nanoTime();
        daemon.docker("stop", "-s", "USR1", "-t", "60", "stop-sig").orFail();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "stop-sig").orFail().out())
                .isEqualTo("exited 7");

        daemon.docker("start", "stop-sig").orFail();
        start = System.nanoTime();
        daemon.docker("restart", "-s", "SIGUSR1", "-t", "60", "stop-sig").orFail();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}}", "stop-sig").orFail().out()).isEqualTo("running");

        Cmd.Result badSignal = daemon.docker("stop", "-s", "NOSUCHSIG", "stop-sig");
        assertThat(badSignal.exitCode()).isNotZero();
        assertThat(badSignal.stderr()).containsIgnoringCase("invalid signal");
        daemon.docker("rm", "-f", "stop-sig").orFail();
    }

    @Test
    void killOfAStoppedContainerIsAConflict() throws Exception {
        String id = daemon.docker("create", "--name", "kill-stopped", "busybox", "true").orFail().out();
        Cmd.Result killed = daemon.docker("kill", "kill-stopped");
        assertThat(killed.exitCode()).isEqualTo(1);
        assertThat(killed.stderr()).contains("Cannot kill container: kill-stopped: Container " + id + " is not running");
        assertThat(lastLine(daemon.curl("-X", "POST", "http://berthd/v1.43/containers/kill-stopped/kill"))).isEqualTo("409");
        daemon.docker("rm", "kill-stopped").orFail();
    }

    /** Before: start?checkpoint=NAME (a CRIU restore on an experimental dockerd) was a plain start. */
    @Test
    void aStartFromACheckpointIsRefusedAndStartsNothing() throws Exception {
        daemon.docker("create", "--name", "from-checkpoint", "busybox", "true").orFail();
        Cmd.Result r = daemon.curl("-X", "POST", "http://berthd/v1.43/containers/from-checkpoint/start?checkpoint=cp1");
        assertThat(r.stdout()).contains("berth does not support starting from a checkpoint (checkpoint)");
        assertThat(lastLine(r)).isEqualTo("400");
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}}", "from-checkpoint").orFail().out()).isEqualTo("created");
        daemon.docker("rm", "from-checkpoint").orFail();
    }

    private Cmd.Result dockerWithStdin(byte[] stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/local/bin/docker"));
        cmd.addAll(List.of(args));
        return Cmd.run(cmd, Map.of("DOCKER_HOST", daemon.host()), stdin, Duration.ofSeconds(120));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static String md5(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
    }

    private static String lastLine(Cmd.Result r) {
        List<String> lines = r.stdout().lines().toList();
        return lines.isEmpty() ? "" : lines.getLast();
    }
}
