package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What must hold from inside a container, checked through the berth CLI against a real berthd. */
@Tag("privileged")
class IsolationTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("isolation");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void pidOneIsTheContainersProcessAndHostProcessesAreInvisible() throws Exception {
        String out = daemon.cli("run", "--rm", "busybox", "sh", "-c", "echo $$; ls /proc | grep -c '^[0-9]'").orFail().out();
        String[] lines = out.split("\n");
        assertThat(lines[0]).isEqualTo("1");
        assertThat(Integer.parseInt(lines[1].trim())).isLessThan(5);
    }

    @Test
    void hostnameIsTheContainersAndOnlyItsOwnInterfacesAreVisible() throws Exception {
        assertThat(daemon.cli("run", "--rm", "--hostname", "inner", "busybox", "hostname").orFail().out()).isEqualTo("inner");
        // the default bridge gives eth0; with --network none only loopback is there; never the host's links
        assertThat(daemon.cli("run", "--rm", "busybox", "ls", "/sys/class/net").orFail().out()).isEqualTo("eth0\nlo");
        assertThat(daemon.cli("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net").orFail().out()).isEqualTo("lo");
    }

    @Test
    void aNonRootUserReadsTheEtcFilesAndWalksTheRootfsThoughBerthsStateIsPrivate() throws Exception {
        String out = daemon.cli("run", "--rm", "-u", "1000:1000", "busybox", "sh", "-c",
                "cat /etc/hostname /etc/hosts /etc/resolv.conf >/dev/null && ls / >/dev/null && echo readable").orFail().out();
        assertThat(out).isEqualTo("readable");
    }

    @Test
    void writesStayInTheirOwnContainer() throws Exception {
        daemon.cli("run", "--name", "writer", "busybox", "sh", "-c", "echo secret > /etc/written").orFail();
        assertThat(daemon.cli("run", "--rm", "busybox", "sh", "-c", "cat /etc/written 2>&1 || echo absent").orFail().out()).contains("absent");
        daemon.cli("start", "-a", "writer").orFail();
        daemon.cli("rm", "writer").orFail();
    }

    @Test
    void memoryLimitEndsInOomKill() throws Exception {
        Cmd.Result r = daemon.cli("run", "--name", "oom", "--memory", "20m", "busybox", "sh", "-c",
                "head -c 100m /dev/zero | tail > /dev/null");
        assertThat(r.exitCode()).isEqualTo(137);
        assertThat(daemon.cli("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", "oom").orFail().out()).isEqualTo("true 137");
        daemon.cli("rm", "oom").orFail();
    }

    @Test
    void pidsLimitStopsAForkBomb() throws Exception {
        String bomb = "for i in $(seq 1 40); do sleep 5 & done; echo all-forked";
        Cmd.Result limited = daemon.cli("run", "--rm", "--pids-limit", "10", "busybox", "sh", "-c", bomb);
        assertThat(limited.exitCode()).isNotZero();
        assertThat(limited.stderr()).contains("can't fork");
        assertThat(limited.stdout()).doesNotContain("all-forked");
        // the same script without the limit forks all 40
        assertThat(daemon.cli("run", "--rm", "busybox", "sh", "-c", bomb).orFail().out()).isEqualTo("all-forked");
    }

    @Test
    void cpusLimitIsInTheCgroup() throws Exception {
        String out = daemon.cli("run", "--rm", "--cpus", "0.5", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max").orFail().out();
        assertThat(out.replace("\n", " ")).containsAnyOf("50000 100000");
    }

    @Test
    void stopKillsAProcessThatIgnoresSigtermAfterTheTimeout() throws Exception {
        daemon.cli("run", "-d", "--name", "stubborn", "busybox", "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done").orFail();
        long start = System.nanoTime();
        daemon.cli("stop", "-t", "2", "stubborn").orFail();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).isBetween(1.8, 5.0);
        assertThat(daemon.cli("inspect", "-f", "{{.State.ExitCode}}", "stubborn").orFail().out()).isEqualTo("137");
        daemon.cli("rm", "stubborn").orFail();
    }

    @Test
    void initReapsZombiesAndForwardsSignals() throws Exception {
        daemon.cli("run", "-d", "--init", "--name", "inited", "busybox", "sh", "-c",
                "(sleep 0.2 &) ; trap 'echo term; exit 7' TERM; while true; do sleep 0.1; done").orFail();
        Thread.sleep(1500);
        String ps = daemon.cli("exec", "inited", "ps", "-o", "pid,stat,comm").orFail().out();
        assertThat(ps).doesNotContain(" Z ");
        assertThat(daemon.cli("exec", "inited", "cat", "/proc/1/cmdline").orFail().out()).contains("docker-init");
        daemon.cli("stop", "-t", "5", "inited").orFail();
        assertThat(daemon.cli("inspect", "-f", "{{.State.ExitCode}}", "inited").orFail().out()).isEqualTo("7");
        daemon.cli("rm", "inited").orFail();
    }

    @Test
    void readOnlyRootfsAndCapabilities() throws Exception {
        assertThat(daemon.cli("run", "--rm", "--read-only", "busybox", "sh", "-c", "touch /x 2>&1 || echo ro").orFail().out()).contains("ro");
        String caps = daemon.cli("run", "--rm", "--cap-drop", "ALL", "busybox", "grep", "CapEff", "/proc/self/status").orFail().out();
        assertThat(caps).endsWith("0000000000000000");
        String def = daemon.cli("run", "--rm", "busybox", "grep", "CapBnd", "/proc/self/status").orFail().out();
        assertThat(def).endsWith("00000000a80425fb"); // Docker's default set
    }

    @Test
    void restartPolicyOnFailureCountsRestarts() throws Exception {
        daemon.cli("run", "-d", "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 1").orFail();
        for (int i = 0; i < 100; i++) {
            String s = daemon.cli("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "flaky").orFail().out();
            if (s.equals("exited 2")) break;
            Thread.sleep(200);
        }
        assertThat(daemon.cli("inspect", "-f", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", "flaky").orFail().out()).isEqualTo("exited 2 1");
        daemon.cli("rm", "flaky").orFail();
    }
}
