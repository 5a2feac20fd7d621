package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Resource options through the docker CLI and berth's own, against a real berthd: each limit read back from the
 * container's cgroup v1 files on the host (/sys/fs/cgroup/CONTROLLER/berth/ID), from /proc inside the container,
 * and from inspect; the ones this host cannot apply are refused with Docker's messages.
 */
@Tag("privileged")
class ContainerResourcesTest {
    static BerthdProcess daemon;
    /** A block device of this machine and its numbers ("7:0"), for the throttles. */
    static Path disk;
    static String majorMinor;

    @BeforeAll
    static void up() throws Exception {
        // the files read here are cgroup v1's (this project's hosts); on a cgroup v2 host they do not exist
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes")),
                "a cgroup v1 host");
        daemon = DaemonFixture.startWithBusybox("resources");
        try (Stream<Path> dev = Files.list(Path.of("/dev"))) {
            disk = dev.sorted().filter(d -> Files.exists(Path.of("/sys/block", d.getFileName().toString(), "dev"))).findFirst().orElseThrow();
        }
        majorMinor = Files.readString(Path.of("/sys/block", disk.getFileName().toString(), "dev")).trim();
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private static String cgroup(String id, String controller, String file) throws IOException {
        return Files.readString(Path.of("/sys/fs/cgroup", controller, "berth", id, file)).trim();
    }

    private static String id(String name) throws Exception {
        return daemon.docker("inspect", "-f", "{{.Id}}", name).orFail().out();
    }

    @Test
    void dockerRunAppliesEachLimitToTheCgroupTheProcessesAndInspect() throws Exception {
        String hostShmmax = Files.readString(Path.of("/proc/sys/kernel/shmmax")).trim();
        daemon.docker("run", "-d", "--name", "lim", "--memory", "64m", "--memory-reservation", "32m", "--memory-swappiness", "10",
                "--oom-kill-disable", "--cpuset-cpus", "0", "--cpuset-mems", "0", "--cpu-period", "50000", "--cpu-quota", "25000",
                "--cpu-shares", "512", "--oom-score-adj", "300", "--shm-size", "96m", "--ulimit", "nofile=256:512",
                "--ulimit", "nproc=100:200", "--sysctl", "net.ipv4.tcp_syncookies=0", "--sysctl", "kernel.shmmax=1000000",
                "--device-read-bps", disk + ":1mb", "--device-write-bps", disk + ":2mb", "--device-read-iops", disk + ":100",
                "--device-write-iops", disk + ":50", "busybox", "sleep", "300").orFail();
        String id = id("lim");
        assertThat(cgroup(id, "memory", "memory.limit_in_bytes")).isEqualTo("67108864");
        // MemorySwap left out: Docker's default of as much swap as memory, memory+swap twice the memory
        assertThat(cgroup(id, "memory", "memory.memsw.limit_in_bytes")).isEqualTo("134217728");
        assertThat(cgroup(id, "memory", "memory.soft_limit_in_bytes")).isEqualTo("33554432");
        assertThat(cgroup(id, "memory", "memory.swappiness")).isEqualTo("10");
        assertThat(cgroup(id, "memory", "memory.oom_control")).contains("oom_kill_disable 1");
        assertThat(cgroup(id, "cpuset", "cpuset.cpus")).isEqualTo("0");
        assertThat(cgroup(id, "cpuset", "cpuset.mems")).isEqualTo("0");
        assertThat(cgroup(id, "cpu", "cpu.cfs_period_us")).isEqualTo("50000");
        assertThat(cgroup(id, "cpu", "cpu.cfs_quota_us")).isEqualTo("25000");
        assertThat(cgroup(id, "cpu", "cpu.shares")).isEqualTo("512");
        assertThat(cgroup(id, "blkio", "blkio.throttle.read_bps_device")).isEqualTo(majorMinor + " 1048576");
        assertThat(cgroup(id, "blkio", "blkio.throttle.write_bps_device")).isEqualTo(majorMinor + " 2097152");
        assertThat(cgroup(id, "blkio", "blkio.throttle.read_iops_device")).isEqualTo(majorMinor + " 100");
        assertThat(cgroup(id, "blkio", "blkio.throttle.write_iops_device")).isEqualTo(majorMinor + " 50");

        String inside = daemon.docker("exec", "lim", "sh", "-c", "cat /proc/1/oom_score_adj; grep -E 'open files|processes' /proc/1/limits;"
                + " df -k /dev/shm | tail -1; cat /proc/sys/net/ipv4/tcp_syncookies /proc/sys/kernel/shmmax;"
                + " grep Cpus_allowed_list /proc/1/status").orFail().out();
        assertThat(inside.lines().map(l -> l.replaceAll("\\s+", " ").trim()).toList()).containsExactly(
                "300", "Max processes 100 200 processes", "Max open files 256 512 files",
                "shm 98304 0 98304 0% /dev/shm", "0", "1000000", "Cpus_allowed_list: 0");
        // the sysctls are the container's namespaces', not the host's
        assertThat(Files.readString(Path.of("/proc/sys/kernel/shmmax")).trim()).isEqualTo(hostShmmax);

        String shown = daemon.docker("inspect", "-f", "{{.HostConfig.MemoryReservation}} {{.HostConfig.MemorySwappiness}}"
                + " {{.HostConfig.OomKillDisable}} {{.HostConfig.MemorySwap}} {{.HostConfig.CpusetCpus}} {{.HostConfig.CpuPeriod}}"
                + " {{.HostConfig.CpuQuota}} {{.HostConfig.OomScoreAdj}} {{.HostConfig.ShmSize}} {{json .HostConfig.Ulimits}}"
                + " {{json .HostConfig.Sysctls}} {{json .HostConfig.BlkioDeviceWriteIOps}}", "lim").orFail().out();
        assertThat(shown).isEqualTo("33554432 10 true 134217728 0 50000 25000 300 100663296"
                + " [{\"Hard\":512,\"Name\":\"nofile\",\"Soft\":256},{\"Hard\":200,\"Name\":\"nproc\",\"Soft\":100}]"
                + " {\"kernel.shmmax\":\"1000000\",\"net.ipv4.tcp_syncookies\":\"0\"}"
                + " [{\"Path\":\"" + disk + "\",\"Rate\":50}]");
        daemon.docker("rm", "-f", "lim").orFail();
    }

    @Test
    void realTimeCpuGetsItsBudgetAndARealTimeTaskRuns() throws Exception {
        // util-linux's chrt from the host (busybox has none), run inside the container through a read-only view of /
        Cmd.Result rt = daemon.docker("run", "--name", "rt", "--cap-add", "SYS_NICE", "--cpu-rt-period", "1000000",
                "--cpu-rt-runtime", "20000", "-v", "/:/host:ro", "busybox", "sh", "-c",
                "chroot /host /usr/bin/chrt -f 10 /bin/echo rt-ok && cat /sys/fs/cgroup/cpu/cpu.rt_runtime_us");
        assertThat(rt.orFail().out().lines().toList()).containsExactly("rt-ok", "20000");
        assertThat(Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/cpu/berth/cpu.rt_runtime_us")).trim()))
                .isGreaterThanOrEqualTo(20000);
        assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.CpuRealtimePeriod}} {{.HostConfig.CpuRealtimeRuntime}}", "rt")
                .orFail().out()).isEqualTo("1000000 20000");
        // without a budget of its own the kernel refuses the real-time policy: the budget above is what made it work
        Cmd.Result none = daemon.docker("run", "--rm", "--cap-add", "SYS_NICE", "-v", "/:/host:ro", "busybox",
                "chroot", "/host", "/usr/bin/chrt", "-f", "10", "/bin/true");
        assertThat(none.exitCode()).isNotZero();
        assertThat(none.stderr()).contains("Operation not permitted");
        daemon.docker("rm", "rt").orFail();
    }

    @Test
    void updateChangesTheLimitsDockerLetsItChange() throws Exception {
        daemon.docker("run", "-d", "--name", "upd", "--memory", "64m", "busybox", "sleep", "300").orFail();
        String id = id("upd");
        daemon.docker("update", "--cpuset-cpus", "1", "--memory-reservation", "20m", "--cpu-period", "20000",
                "--cpu-quota", "10000", "--cpu-rt-runtime", "5000", "upd").orFail();
        assertThat(cgroup(id, "cpuset", "cpuset.cpus")).isEqualTo("1");
        assertThat(cgroup(id, "memory", "memory.soft_limit_in_bytes")).isEqualTo("20971520");
        assertThat(cgroup(id, "cpu", "cpu.cfs_period_us")).isEqualTo("20000");
        assertThat(cgroup(id, "cpu", "cpu.cfs_quota_us")).isEqualTo("10000");
        assertThat(cgroup(id, "cpu", "cpu.rt_runtime_us")).isEqualTo("5000");
        assertThat(cgroup(id, "memory", "memory.limit_in_bytes")).isEqualTo("67108864");
        assertThat(daemon.docker("exec", "upd", "grep", "Cpus_allowed_list", "/proc/1/status").orFail().out())
                .isEqualTo("Cpus_allowed_list:\t1");
        assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.CpusetCpus}} {{.HostConfig.MemoryReservation}}"
                + " {{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{.HostConfig.CpuRealtimeRuntime}}", "upd").orFail().out())
                .isEqualTo("1 20971520 20000 10000 5000");
        // Docker's conflicts and refusals, in its words
        assertThat(daemon.docker("update", "--cpus", "1", "upd").stderr())
                .contains("Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set");
        assertThat(daemon.docker("update", "--kernel-memory", "100m", "upd").stderr())
                .contains("berth does not support HostConfig.KernelMemory: kernel memory limits are deprecated");
        assertThat(daemon.docker("update", "--cpuset-cpus", "9", "upd").stderr()).contains("Requested CPUs are not available - requested 9");
        // a refused update changed nothing
        assertThat(cgroup(id, "cpuset", "cpuset.cpus")).isEqualTo("1");
        daemon.docker("rm", "-f", "upd").orFail();
    }

    @Test
    void limitsThisHostCannotApplyOrDockerRefusesAreA400InDockersWords() throws Exception {
        String cpus = Files.readString(Path.of("/sys/fs/cgroup/cpuset/cpuset.cpus")).trim();
        assertRefused("Requested CPUs are not available - requested 64, available: " + cpus, "--cpuset-cpus", "64");
        assertRefused("Minimum memory reservation allowed is 6MB", "--memory-reservation", "1m");
        assertRefused("Minimum memory limit can not be less than memory reservation limit, see usage",
                "--memory", "16m", "--memory-reservation", "32m");
        assertRefused("Invalid value 1001, range for oom score adj is [-1000, 1000]", "--oom-score-adj", "1001");
        if (!hasSysResource(daemon.pid())) {
            // crun, berthd's child, may only raise the OOM score it inherits; found by docker-py: a start used to fail
            // with "write to /proc/self/oom_score_adj: Permission denied"
            assertRefused("berthd cannot give a container an OOM score adjustment below its own", "--oom-score-adj", "-500");
        }
        assertRefused("cpu-rt-runtime cannot be higher than cpu-rt-period", "--cpu-rt-period", "1000", "--cpu-rt-runtime", "2000");
        assertRefused("sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace",
                "--network", "host", "--sysctl", "net.ipv4.ip_forward=1");
        assertRefused("ulimit soft limit must be less than or equal to hard limit: 20 > 10", "--ulimit", "nproc=20:10");
        if (!Files.exists(Path.of("/sys/fs/cgroup/blkio/blkio.weight")) && !Files.exists(Path.of("/sys/fs/cgroup/blkio/blkio.bfq.weight"))) {
            assertRefused("berth does not support HostConfig.BlkioWeight on this host", "--blkio-weight", "300");
        }
        // the docker CLI no longer sends --kernel-memory on create; a client that does gets the refusal
        Cmd.Result kmem = daemon.curl("-X", "POST", "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"KernelMemory\":67108864}}", "http://berthd/v1.41/containers/create");
        assertThat(kmem.out()).endsWith("400").contains("berth does not support HostConfig.KernelMemory");
        Cmd.Result sysctl = daemon.curl("-X", "POST", "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"Sysctls\":{\"kernel.hostname\":\"x\"}}}", "http://berthd/v1.43/containers/create");
        assertThat(sysctl.out()).endsWith("400").contains("sysctl 'kernel.hostname' is not allowed");
    }

    @Test
    void berthsOwnCliSendsTheSameOptions() throws Exception {
        Cmd.Result run = daemon.cli("run", "--rm", "--cpuset-cpus", "0", "--oom-score-adj", "100", "--shm-size", "32m",
                "--sysctl", "kernel.shmmax=4096", "--memory", "32m", "--memory-reservation", "16m", "--cpu-period", "40000",
                "--cpu-quota", "20000", "--device-read-iops", disk + ":30", "busybox", "sh", "-c",
                "cat /proc/1/oom_score_adj /proc/sys/kernel/shmmax /sys/fs/cgroup/memory/memory.soft_limit_in_bytes"
                        + " /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.cfs_quota_us"
                        + " /sys/fs/cgroup/blkio/blkio.throttle.read_iops_device;"
                        + " grep Cpus_allowed_list /proc/1/status; df -k /dev/shm | tail -1");
        assertThat(run.orFail().out().lines().map(l -> l.replaceAll("\\s+", " ").trim()).toList()).containsExactly(
                "100", "4096", "16777216", "40000", "20000", majorMinor + " 30", "Cpus_allowed_list: 0", "shm 32768 0 32768 0% /dev/shm");
        daemon.cli("run", "-d", "--name", "cli-upd", "busybox", "sleep", "300").orFail();
        daemon.cli("update", "--cpuset-cpus", "1", "--memory-reservation", "24m", "cli-upd").orFail();
        String id = id("cli-upd");
        assertThat(cgroup(id, "cpuset", "cpuset.cpus")).isEqualTo("1");
        assertThat(cgroup(id, "memory", "memory.soft_limit_in_bytes")).isEqualTo("25165824");
        Cmd.Result kmem = daemon.cli("run", "--rm", "--kernel-memory", "64m", "busybox", "true");
        assertThat(kmem.exitCode()).isEqualTo(125);
        assertThat(kmem.stderr()).contains("berth does not support HostConfig.KernelMemory");
        daemon.cli("rm", "-f", "cli-upd").orFail();
    }

    /** berth compose maps the Compose keys onto the same HostConfig fields; the container gets them. */
    /**
     * docker build --memory --memory-swap --cpu-shares --cpu-period --cpu-quota --cpuset-cpus: the RUN containers get
     * them, as dockerd's classic builder gives them. Before: the query was read for none of them (a RUN step saw no
     * memory limit), and --cgroup-parent, --security-opt and a foreign --platform were accepted and dropped.
     */
    @Test
    void buildLimitsReachTheRunContainersAndWhatBerthCannotApplyIsRefused(@org.junit.jupiter.api.io.TempDir Path ctx) throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\n"
                + "RUN cd /sys/fs/cgroup && cat memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes cpu/cpu.shares"
                + " cpu/cpu.cfs_period_us cpu/cpu.cfs_quota_us > /limits && grep Cpus_allowed_list /proc/self/status >> /limits\n");
        daemon.docker("build", "-q", "-t", "buildlimits:1", "--memory", "64m", "--memory-swap", "96m", "--cpu-shares", "256",
                "--cpu-period", "50000", "--cpu-quota", "25000", "--cpuset-cpus", "0", "--platform", "linux/" + hostArch(),
                ctx.toString()).orFail();
        String limits = daemon.docker("run", "--rm", "buildlimits:1", "cat", "/limits").orFail().out();
        assertThat(limits.lines().map(l -> l.replaceAll("\\s+", " ")).toList())
                .containsExactly("67108864", "100663296", "256", "50000", "25000", "Cpus_allowed_list: 0");
        daemon.docker("rmi", "buildlimits:1").orFail();
        // checked as container create checks them, before the context is read
        assertThat(daemon.docker("build", "--memory", "1k", ctx.toString()).stderr()).contains("Minimum memory limit allowed is 6MB");
        assertThat(daemon.docker("build", "--cgroup-parent", "elsewhere", ctx.toString()).stderr())
                .contains("berth does not support build --cgroup-parent (cgroupparent)");
        assertThat(daemon.docker("build", "--security-opt", "seccomp=unconfined", ctx.toString()).stderr())
                .contains("berth does not support build --security-opt (securityopt)");
        String foreign = hostArch().equals("arm64") ? "linux/amd64" : "linux/arm64";
        assertThat(daemon.docker("build", "--platform", foreign, ctx.toString()).stderr())
                .contains("only (its RUN steps run on this machine), not for " + foreign);
    }

    private static String hostArch() {
        return System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64"; // the two hosts berth knows
    }

    @Test
    void composeKeysReachTheContainer(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  web:
                    image: busybox
                    command: ["sleep", "300"]
                    network_mode: none
                    cpuset: "0"
                    cpu_period: 40000
                    cpu_quota: 20000
                    mem_limit: 64m
                    mem_reservation: 16m
                    mem_swappiness: 30
                    oom_kill_disable: true
                    oom_score_adj: 200
                    shm_size: 8m
                    ulimits: {nofile: {soft: 111, hard: 222}}
                    sysctls: {kernel.msgmax: 2048}
                    blkio_config:
                      device_write_bps: [{path: %s, rate: 3mb}]
                """.formatted(disk));
        daemon.cli("compose", "-f", dir.resolve("compose.yaml").toString(), "-p", "res", "up", "-d").orFail();
        try {
            String id = id("res-web-1");
            assertThat(cgroup(id, "cpuset", "cpuset.cpus")).isEqualTo("0");
            assertThat(cgroup(id, "cpu", "cpu.cfs_period_us")).isEqualTo("40000");
            assertThat(cgroup(id, "cpu", "cpu.cfs_quota_us")).isEqualTo("20000");
            assertThat(cgroup(id, "memory", "memory.soft_limit_in_bytes")).isEqualTo("16777216");
            assertThat(cgroup(id, "memory", "memory.swappiness")).isEqualTo("30");
            assertThat(cgroup(id, "memory", "memory.oom_control")).contains("oom_kill_disable 1");
            assertThat(cgroup(id, "blkio", "blkio.throttle.write_bps_device")).isEqualTo(majorMinor + " 3145728");
            String inside = daemon.docker("exec", "res-web-1", "sh", "-c", "cat /proc/1/oom_score_adj /proc/sys/kernel/msgmax;"
                    + " grep 'open files' /proc/1/limits; df -k /dev/shm | tail -1").orFail().out();
            assertThat(inside.lines().map(l -> l.replaceAll("\\s+", " ").trim()).toList())
                    .containsExactly("200", "2048", "Max open files 111 222 files", "shm 8192 0 8192 0% /dev/shm");
        } finally {
            daemon.cli("compose", "-f", dir.resolve("compose.yaml").toString(), "-p", "res", "down").orFail();
        }
    }

    /** docker-py as a library user sets the same limits (src/test/python/test_resources.py). */
    @Test
    void dockerPySetsTheLimits() throws Exception {
        Cmd.Result r = Cmd.run(java.util.List.of("/usr/bin/python3", "-W", "ignore", "-m", "unittest", "-v", "test_resources"),
                java.util.Map.of("DOCKER_HOST", daemon.host(), "PYTHONPATH", Path.of("src/test/python").toAbsolutePath().toString(),
                        "PYTHONDONTWRITEBYTECODE", "1"), null, java.time.Duration.ofMinutes(3));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("OK");
    }

    private static boolean hasSysResource(long pid) throws IOException {
        String capEff = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow().substring(7).trim();
        return (Long.parseUnsignedLong(capEff, 16) & (1L << 24)) != 0;
    }

    private static void assertRefused(String message, String... options) throws Exception {
        String[] args = Stream.concat(Stream.of("run", "--rm"), Stream.concat(Stream.of(options), Stream.of("busybox", "true")))
                .toArray(String[]::new);
        Cmd.Result r = daemon.docker(args);
        assertThat(r.exitCode()).as(String.join(" ", options)).isEqualTo(125);
        assertThat(r.stderr()).as(String.join(" ", options)).contains(message);
    }
}
