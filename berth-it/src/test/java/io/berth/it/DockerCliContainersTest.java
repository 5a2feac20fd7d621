package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unmodified docker CLI (28.x) drives berthd through every container command of the engine core. */
@Tag("privileged")
class DockerCliContainersTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("docker-ctr");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void versionAndInfoAnswer() throws Exception {
        assertThat(daemon.docker("version", "--format", "{{.Server.APIVersion}}").orFail().out()).isEqualTo("1.43");
        assertThat(daemon.docker("info", "--format", "{{.Driver}}").orFail().out()).isEqualTo("overlay2");
    }

    @Test
    void runPrintsOutputAndPropagatesExitCode() throws Exception {
        assertThat(daemon.docker("run", "--rm", "busybox", "echo", "hello docker").orFail().out()).isEqualTo("hello docker");
        Cmd.Result failing = daemon.docker("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(failing.exitCode()).isEqualTo(3);
        assertThat(failing.stdout()).isEqualTo("out\n");
        assertThat(failing.stderr()).contains("err");
    }

    @Test
    void runHonoursFlags() throws Exception {
        String out = daemon.docker("run", "--rm", "-e", "A=1", "-w", "/tmp", "-u", "1000:1000", "--hostname", "box",
                "busybox", "sh", "-c", "echo $A $(pwd) $(id -u):$(id -g) $(hostname)").orFail().out();
        assertThat(out).isEqualTo("1 /tmp 1000:1000 box");
        String ep = daemon.docker("run", "--rm", "--entrypoint", "echo", "busybox", "via", "entrypoint").orFail().out();
        assertThat(ep).isEqualTo("via entrypoint");
    }

    @Test
    void unknownCommandExits127AndUnknownImage125() throws Exception {
        assertThat(daemon.docker("run", "--rm", "busybox", "no-such-binary").exitCode()).isEqualTo(127);
        Cmd.Result missing = daemon.docker("run", "--rm", "--pull", "never", "no-such-image:1");
        assertThat(missing.exitCode()).isEqualTo(125);
        assertThat(missing.stderr()).contains("No such image");
    }

    @Test
    void detachedLifecycle() throws Exception {
        String id = daemon.docker("run", "-d", "--name", "lifecycle", "busybox", "sh", "-c",
                "trap 'echo got-term; exit 0' TERM; echo started; while true; do sleep 0.1; done").orFail().out();
        assertThat(id).hasSize(64);
        assertThat(daemon.docker("ps", "--format", "{{.Names}} {{.Status}}").orFail().out()).contains("lifecycle Up");
        awaitLog("lifecycle", "started");
        assertThat(daemon.docker("inspect", "-f", "{{.State.Running}} {{.Name}}", "lifecycle").orFail().out()).isEqualTo("true /lifecycle");
        assertThat(daemon.docker("top", "lifecycle").orFail().out()).contains("sh -c");
        assertThat(daemon.docker("stats", "--no-stream", "--format", "{{.Name}}", "lifecycle").orFail().out()).isEqualTo("lifecycle");
        daemon.docker("pause", "lifecycle").orFail();
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}}", "lifecycle").orFail().out()).isEqualTo("paused");
        daemon.docker("unpause", "lifecycle").orFail();
        assertThat(daemon.docker("exec", "lifecycle", "sh", "-c", "echo exec-out; exit 4").exitCode()).isEqualTo(4);
        assertThat(daemon.docker("exec", "-e", "X=y", "-w", "/etc", "lifecycle", "sh", "-c", "echo $X $(pwd)").orFail().out()).isEqualTo("y /etc");
        daemon.docker("rename", "lifecycle", "lifecycle2").orFail();
        daemon.docker("stop", "-t", "5", "lifecycle2").orFail();
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "lifecycle2").orFail().out()).isEqualTo("exited 0");
        assertThat(daemon.docker("logs", "lifecycle2").orFail().out()).isEqualTo("started\ngot-term");
        daemon.docker("restart", "lifecycle2").orFail();
        assertThat(daemon.docker("inspect", "-f", "{{.State.Running}}", "lifecycle2").orFail().out()).isEqualTo("true");
        daemon.docker("kill", "-s", "KILL", "lifecycle2").orFail();
        assertThat(daemon.docker("wait", "lifecycle2").orFail().out()).isEqualTo("137");
        daemon.docker("rm", "lifecycle2").orFail();
        assertThat(daemon.docker("inspect", "lifecycle2").exitCode()).isEqualTo(1);
    }

    @Test
    void createStartWaitAndRemoveRefusesRunning() throws Exception {
        String id = daemon.docker("create", "--name", "cs", "busybox", "sh", "-c", "sleep 30").orFail().out();
        assertThat(daemon.docker("ps", "-a", "--filter", "status=created", "-q", "--no-trunc").orFail().out()).contains(id);
        daemon.docker("start", "cs").orFail();
        Cmd.Result rm = daemon.docker("rm", "cs");
        assertThat(rm.exitCode()).isNotZero();
        assertThat(rm.stderr()).contains("cannot remove");
        daemon.docker("rm", "-f", "cs").orFail();
    }

    @Test
    void logsOptions() throws Exception {
        daemon.docker("run", "--name", "logs", "busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done").orFail();
        assertThat(daemon.docker("logs", "--tail", "2", "logs").orFail().out()).isEqualTo("line4\nline5");
        assertThat(daemon.docker("logs", "-t", "logs").orFail().out().lines().findFirst().orElseThrow()).matches("\\d{4}-\\d\\d-\\d\\dT.* line1");
        assertThat(daemon.docker("logs", "--since", "2000-01-01T00:00:00Z", "logs").orFail().out()).startsWith("line1");
        // --details: each record behind its attributes and a space; berth keeps none, so only the space, as dockerd
        assertThat(daemon.docker("logs", "--details", "--tail", "2", "logs").orFail().stdout()).isEqualTo(" line4\n line5\n");
        assertThat(daemon.docker("logs", "--details", "-t", "--tail", "1", "logs").orFail().stdout()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z  line5\n");
        assertThat(daemon.cli("logs", "--details", "--tail", "1", "logs").orFail().stdout()).isEqualTo(" line5\n");
        daemon.docker("rm", "logs").orFail();
    }

    @Test
    void copyBothWays(@TempDir Path tmp) throws Exception {
        daemon.docker("run", "-d", "--name", "cp", "busybox", "sleep", "60").orFail();
        Path src = tmp.resolve("in.txt");
        Files.writeString(src, "from host\n");
        daemon.docker("cp", src.toString(), "cp:/tmp/in.txt").orFail();
        assertThat(daemon.docker("exec", "cp", "cat", "/tmp/in.txt").orFail().out()).isEqualTo("from host");
        daemon.docker("exec", "cp", "sh", "-c", "echo from container > /tmp/out.txt").orFail();
        daemon.docker("cp", "cp:/tmp/out.txt", tmp.resolve("out.txt").toString()).orFail();
        assertThat(Files.readString(tmp.resolve("out.txt"))).isEqualTo("from container\n");
        daemon.docker("rm", "-f", "cp").orFail();
    }

    @Test
    void containerPruneRemovesStopped() throws Exception {
        daemon.docker("run", "--name", "prune-me", "busybox", "true").orFail();
        assertThat(daemon.docker("container", "prune", "-f").orFail().out()).contains("Total reclaimed space");
        assertThat(daemon.docker("ps", "-a", "--format", "{{.Names}}").orFail().out()).doesNotContain("prune-me");
    }

    @Test
    void interactiveTtyRunAndExec() throws Exception {
        // `script` gives docker a real pty, as a terminal would.
        Cmd.Result run = Cmd.run(java.util.List.of("script", "-qec",
                "docker run --rm -it busybox sh -c 'tty; echo tty-ok'", "/dev/null"),
                java.util.Map.of("DOCKER_HOST", daemon.host()), null, java.time.Duration.ofSeconds(60));
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("/dev/pts/").contains("tty-ok");

        daemon.docker("run", "-d", "--name", "ttyexec", "busybox", "sleep", "60").orFail();
        Cmd.Result exec = Cmd.run(java.util.List.of("script", "-qec", "docker exec -it ttyexec sh -c 'tty; exit 5'", "/dev/null"),
                java.util.Map.of("DOCKER_HOST", daemon.host()), null, java.time.Duration.ofSeconds(60));
        assertThat(exec.stdout()).contains("/dev/pts/");
        assertThat(exec.exitCode()).isEqualTo(5);
        daemon.docker("rm", "-f", "ttyexec").orFail();
    }

    @Test
    void interactiveStdinWithoutTty() throws Exception {
        Cmd.Result r = Cmd.run(java.util.List.of("/usr/local/bin/docker", "run", "--rm", "-i", "busybox", "sh", "-c", "tr a-z A-Z"),
                java.util.Map.of("DOCKER_HOST", daemon.host()), "piped input\n".getBytes(), java.time.Duration.ofSeconds(60));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("PIPED INPUT\n");
    }

    @Test
    void resourceAndSecurityFlagsThroughDocker() throws Exception {
        Cmd.Result oom = daemon.docker("run", "--name", "d-oom", "--memory", "20m", "busybox", "sh", "-c", "head -c 100m /dev/zero | tail > /dev/null");
        assertThat(oom.exitCode()).isEqualTo(137);
        assertThat(daemon.docker("inspect", "-f", "{{.State.OOMKilled}}", "d-oom").orFail().out()).isEqualTo("true");
        daemon.docker("rm", "d-oom").orFail();
        assertThat(daemon.docker("run", "--rm", "--cpus", "0.5", "--pids-limit", "50", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/pids/pids.max").orFail().out()).isEqualTo("50000\n50");
        assertThat(daemon.docker("run", "--rm", "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                "busybox", "sh", "-c", "grep -E 'CapEff|NoNewPrivs' /proc/self/status; touch /x 2>/dev/null || echo ro").orFail().out())
                .contains("0000000000000000").contains("NoNewPrivs:\t1").contains("ro");
        assertThat(daemon.docker("run", "--rm", "--init", "busybox", "cat", "/proc/1/cmdline").orFail().out()).contains("docker-init");
    }

    @Test
    void logsFollowAndRestartPolicyThroughDocker() throws Exception {
        daemon.docker("run", "-d", "--name", "d-follow", "busybox", "sh", "-c", "echo a; sleep 1; echo b").orFail();
        assertThat(daemon.docker("logs", "-f", "d-follow").orFail().out()).isEqualTo("a\nb");
        daemon.docker("rm", "d-follow").orFail();
        daemon.docker("run", "-d", "--name", "d-restart", "--restart", "on-failure:1", "busybox", "sh", "-c", "exit 5").orFail();
        for (int i = 0; i < 50 && !daemon.docker("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "d-restart").orFail().out().equals("exited 1"); i++) {
            Thread.sleep(200);
        }
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", "d-restart").orFail().out()).isEqualTo("exited 1 5");
        daemon.docker("rm", "d-restart").orFail();
    }

    private static void awaitLog(String container, String text) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (daemon.docker("logs", container).stdout().contains(text)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("log of " + container + " never showed " + text);
    }
}