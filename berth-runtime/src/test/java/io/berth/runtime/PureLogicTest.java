package io.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.linux.LinuxArch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of berth-runtime that need no kernel: mapping of spec to config, parsing, persistence. */
class PureLogicTest {
    static final String ID = "ab".repeat(32);

    static ContainerSpec spec(Resources r, String user, boolean privileged, boolean init) {
        return ContainerSpec.builder(ID).name("x").image("busybox").imageId("sha256:00").args(List.of("sh")).env(List.of("A=1"))
                .user(user).init(init).privileged(privileged).noNewPrivileges(true).stopSignal("SIGUSR1").stopTimeoutSeconds(3)
                .resources(r).restartPolicy(new RestartPolicy("on-failure", 2)).labels(Map.of("l", "v"))
                .rootfs(new RootfsLayers(List.of(Path.of("/l1"), Path.of("/l2")))).created(Instant.parse("2024-01-02T03:04:05Z"))
                .extra(Map.of("HostConfig", Map.of("Memory", 5))).build();
    }

    static OciConfig.Host host() {
        return new OciConfig.Host(20000, 0x1fffeffffffL, false, Path.of("/usr/bin/catatonit"), LinuxArch.X86_64,
                new DockerSeccompProfile.KernelVersion(6, 1));
    }

    @Test
    void signalsParseLikeDocker() {
        assertThat(Signals.parse("SIGHUP", 15)).isEqualTo(1);
        assertThat(Signals.parse("hup", 15)).isEqualTo(1);
        assertThat(Signals.parse("9", 15)).isEqualTo(9);
        assertThat(Signals.parse(null, 15)).isEqualTo(15);
        assertThat(Signals.parse("SIGRTMIN+2", 15)).isEqualTo(36);
        assertThatThrownBy(() -> Signals.parse("NOPE", 15)).isInstanceOf(io.berth.oci.errors.InvalidArgumentException.class);
    }

    @Test
    void capabilitiesFollowDockerRules() {
        assertThat(Capabilities.compute(false, List.of(), List.of(), -1L)).hasSize(14).contains("CAP_CHOWN").doesNotContain("CAP_SYS_ADMIN");
        assertThat(Capabilities.compute(false, List.of("sys_admin"), List.of("NET_RAW"), -1L))
                .contains("CAP_SYS_ADMIN").doesNotContain("CAP_NET_RAW").hasSize(14);
        assertThat(Capabilities.compute(false, List.of("CHOWN"), List.of("ALL"), -1L)).containsExactly("CAP_CHOWN");
        // the host cannot grant CAP_SYS_RESOURCE (bit 24): privileged gets everything else
        List<String> all = Capabilities.compute(true, List.of(), List.of(), 0x1fffeffffffL);
        assertThat(all).hasSize(40).doesNotContain("CAP_SYS_RESOURCE");
        assertThatThrownBy(() -> Capabilities.compute(false, List.of("BOGUS"), List.of(), -1L))
                .hasMessageContaining("unknown capability");
    }

    @Test
    void processEnvIsDockersDefaultsReplacedOrUnsetByTheContainersEntries() {
        assertThat(OciConfig.processEnv(List.of("A=1", "PATH=/x", "A=2", "NOPE"), "host", true, "/root"))
                .containsExactly("PATH=/x", "HOSTNAME=host", "TERM=xterm", "A=2", "HOME=/root");
        // a name without "=" unsets the default of that name (Docker's ReplaceOrAppendEnvValues)
        assertThat(OciConfig.processEnv(List.of("HOSTNAME", "TERM", "B="), "host", true, null)).containsExactly(
                "PATH=" + OciConfig.DEFAULT_PATH, "B=");
        assertThat(OciConfig.processEnv(List.of("HOME=/h"), "host", false, "/root")).containsExactly(
                "PATH=" + OciConfig.DEFAULT_PATH, "HOSTNAME=host", "HOME=/h");
    }

    @Test
    void configCarriesResourcesSecurityAndMounts() {
        ContainerPaths paths = ContainerPaths.of(Path.of("/data"), Path.of("/run/berth/exec"), ID);
        JsonNode c = OciConfig.build(spec(new Resources(20L << 20, 500_000_000L, 10, 0), "", false, true), paths,
                new ResolvedUser(0, 0, List.of(10), "/root"), host());
        assertThat(c.at("/process/args").toString()).isEqualTo("[\"/sbin/docker-init\",\"--\",\"sh\"]");
        assertThat(c.at("/process/env").toString()).contains("PATH=/usr/local/sbin", "HOSTNAME=abababababab", "A=1", "HOME=/root");
        assertThat(c.at("/process/rlimits/0/hard").asLong()).isEqualTo(20000);
        assertThat(c.at("/process/noNewPrivileges").asBoolean()).isTrue();
        assertThat(c.at("/process/user/additionalGids/0").asInt()).isEqualTo(10);
        assertThat(c.at("/linux/resources/memory/limit").asLong()).isEqualTo(20L << 20);
        assertThat(c.at("/linux/resources/memory/swap").asLong()).isEqualTo(20L << 20);
        assertThat(c.at("/linux/resources/cpu/quota").asLong()).isEqualTo(50_000);
        assertThat(c.at("/linux/resources/cpu/period").asLong()).isEqualTo(100_000);
        assertThat(c.at("/linux/resources/pids/limit").asLong()).isEqualTo(10);
        assertThat(c.at("/linux/cgroupsPath").asText()).isEqualTo("/berth/" + ID);
        assertThat(c.at("/linux/maskedPaths").toString()).contains("/proc/kcore", "/sys/firmware");
        assertThat(c.at("/linux/readonlyPaths").toString()).contains("/proc/sysrq-trigger");
        assertThat(c.at("/linux/seccomp/syscalls/0/names").toString()).contains("kexec_load", "bpf", "mount", "keyctl");
        assertThat(c.at("/linux/namespaces").toString()).contains("network", "pid", "ipc", "uts", "mount");
        assertThat(c.at("/mounts").toString()).contains("/sbin/docker-init", "/usr/bin/catatonit", "/etc/hosts", "/dev/shm");
        assertThat(c.at("/root/path").asText()).isEqualTo("/data/containers/" + ID + "/merged");

        JsonNode priv = OciConfig.build(spec(Resources.UNLIMITED, "", true, false), paths, new ResolvedUser(0, 0, List.of(), "/"), host());
        assertThat(priv.at("/linux/seccomp").isMissingNode()).isTrue();
        assertThat(priv.at("/linux/maskedPaths").isMissingNode()).isTrue();
        assertThat(priv.at("/process/capabilities/bounding").size()).isEqualTo(40);
        assertThat(priv.at("/linux/resources/memory").isMissingNode()).isTrue();
    }

    @Test
    void usersResolveFromPasswdAndGroup(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:app:/home/app:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1001:\nwheel:x:10:app\n");
        assertThat(UserResolver.resolve(root, "")).isEqualTo(new ResolvedUser(0, 0, List.of(), "/root"));
        assertThat(UserResolver.resolve(root, "app")).isEqualTo(new ResolvedUser(1000, 1001, List.of(10), "/home/app"));
        assertThat(UserResolver.resolve(root, "app:wheel")).isEqualTo(new ResolvedUser(1000, 10, List.of(), "/home/app"));
        assertThat(UserResolver.resolve(root, "5000:7")).isEqualTo(new ResolvedUser(5000, 7, List.of(), "/"));
        assertThatThrownBy(() -> UserResolver.resolve(root, "ghost")).hasMessage("unable to find user ghost: no matching entries in passwd file");
        assertThatThrownBy(() -> UserResolver.resolve(root, "app:ghosts")).hasMessageContaining("unable to find group ghosts");
    }

    @Test
    void k8sFileLinesParse() {
        LogEntry full = LogReader.parse("2024-05-01T10:00:00.123456789+00:00 stdout F hello world".getBytes(StandardCharsets.UTF_8));
        assertThat(full.time()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456789Z"));
        assertThat(full.stream()).isEqualTo(LogEntry.Stream.STDOUT);
        assertThat(new String(full.data())).isEqualTo("hello world\n");
        LogEntry partial = LogReader.parse("2024-05-01T12:00:00+02:00 stderr P abc".getBytes(StandardCharsets.UTF_8));
        assertThat(partial.partial()).isTrue();
        assertThat(partial.stream()).isEqualTo(LogEntry.Stream.STDERR);
        assertThat(new String(partial.data())).isEqualTo("abc");
        assertThat(LogReader.parse("garbage".getBytes())).isNull();
    }

    @Test
    void restartPolicyDecisions() {
        assertThat(new RestartPolicy("always", 0).shouldRestart(0, false, 5)).isTrue();
        assertThat(new RestartPolicy("always", 0).shouldRestart(0, true, 0)).isFalse();
        assertThat(new RestartPolicy("on-failure", 2).shouldRestart(1, false, 1)).isTrue();
        assertThat(new RestartPolicy("on-failure", 2).shouldRestart(1, false, 2)).isFalse();
        assertThat(new RestartPolicy("on-failure", 0).shouldRestart(0, false, 0)).isFalse();
        assertThat(new RestartPolicy("", 0).shouldRestart(1, false, 0)).isFalse();
    }

    @Test
    void anUpdateWritesTheLimitsWithoutDeviceRulesAndLiftsAPidsLimitToTheKernelsCeiling() {
        JsonNode limited = OciConfig.updateResources(new Resources(64L << 20, 500_000_000L, 40, 512, 128L << 20));
        assertThat(limited.has("devices")).isFalse();
        assertThat(limited.at("/memory/limit").asLong()).isEqualTo(64L << 20);
        assertThat(limited.at("/memory/swap").asLong()).isEqualTo(128L << 20);
        assertThat(limited.at("/cpu/quota").asLong()).isEqualTo(50_000);
        assertThat(limited.at("/cpu/shares").asLong()).isEqualTo(512);
        assertThat(limited.at("/pids/limit").asLong()).isEqualTo(40);
        JsonNode lifted = OciConfig.updateResources(Resources.UNLIMITED);
        assertThat(lifted.at("/pids/limit").asLong()).isEqualTo(4L * 1024 * 1024);
        assertThat(lifted.has("memory")).isFalse();
        assertThat(lifted.has("cpu")).isFalse();
    }

    @Test
    void resourcesSavedBeforeMemorySwapExistedStillLoad() throws Exception {
        Resources r = ContainerStore.JSON.readValue(
                "{\"memoryBytes\":67108864,\"nanoCpus\":0,\"pidsLimit\":0,\"cpuShares\":0}", Resources.class);
        assertThat(r.memorySwapBytes()).isZero();
        assertThat(r.swapLimit()).isEqualTo(67108864L);
        JsonNode c = OciConfig.build(spec(new Resources(64L << 20, 0, 0, 0, 128L << 20), "", false, true),
                ContainerPaths.of(Path.of("/data"), Path.of("/run/berth/exec"), ID), new ResolvedUser(0, 0, List.of(), "/root"), host());
        assertThat(c.at("/linux/resources/memory/swap").asLong()).isEqualTo(128L << 20);
    }

    @Test
    void containerRoundTripsThroughTheStore(@TempDir Path dataRoot) {
        ContainerStore store = new ContainerStore(dataRoot, dataRoot.resolve("exec"));
        ContainerSpec s = spec(new Resources(1, 2, 3, 4), "app", false, false);
        Container c = new Container(s, "x", new ContainerState(ContainerState.Status.RUNNING, 42, 0, false, "",
                Instant.parse("2024-01-01T00:00:00.5Z"), null), 2, "crun", 77, true, ContainerPaths.of(dataRoot, dataRoot.resolve("exec"), ID));
        store.save(c);
        List<Container> loaded = store.loadAll();
        assertThat(loaded).hasSize(1);
        Container back = loaded.get(0);
        assertThat(back.spec().withName("x")).usingRecursiveComparison().isEqualTo(c.spec().withName("x"));
        assertThat(back.state()).isEqualTo(c.state());
        assertThat(back.paths()).isEqualTo(c.paths());
        assertThat(back.conmonPid()).isEqualTo(77);
        assertThat(back.manuallyStopped()).isTrue();
    }

    @Test
    void overlaysLowerdirPlusIsUsedFromLinux68() {
        assertThat(OverlayMount.kernelAtLeast("6.18.44-fc-v1300", 6, 8)).isTrue();
        assertThat(OverlayMount.kernelAtLeast("6.8.0-45-generic", 6, 8)).isTrue();
        assertThat(OverlayMount.kernelAtLeast("6.1.0-26-amd64", 6, 8)).isFalse();
        assertThat(OverlayMount.kernelAtLeast("5.15.0", 6, 8)).isFalse();
        assertThat(OverlayMount.kernelAtLeast("7.0", 6, 8)).isTrue();
        assertThat(OverlayMount.kernelAtLeast("", 6, 8)).isFalse();
    }

    @Test
    void runtimeStateIsOnTheExecRootExceptForContainersMadeBeforeTheSplit(@TempDir Path dataRoot) throws Exception {
        Path execRoot = dataRoot.resolve("run");
        ContainerPaths split = ContainerPaths.load(dataRoot, execRoot, ID);
        assertThat(split.exitDir()).isEqualTo(execRoot.resolve("containers").resolve(ID).resolve("exits"));
        assertThat(split.stateFile()).isEqualTo(dataRoot.resolve("containers").resolve(ID).resolve("container.json"));
        Files.createDirectories(dataRoot.resolve("containers").resolve(ID).resolve("exits"));
        assertThat(ContainerPaths.load(dataRoot, execRoot, ID).exitDir())
                .isEqualTo(dataRoot.resolve("containers").resolve(ID).resolve("exits"));
    }

    @Test
    void cgroupV1CountersParse(@TempDir Path root) throws Exception {
        Path mem = Files.createDirectories(root.resolve("memory/berth").resolve(ID));
        Files.writeString(mem.resolve("memory.usage_in_bytes"), "1048576\n");
        Files.writeString(mem.resolve("memory.limit_in_bytes"), "20971520\n");
        Files.writeString(mem.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        Path acct = Files.createDirectories(root.resolve("cpuacct/berth").resolve(ID));
        Files.writeString(acct.resolve("cpuacct.usage"), "123456789\n");
        Files.writeString(acct.resolve("cpuacct.usage_percpu"), "100 200 \n");
        Path pids = Files.createDirectories(root.resolve("pids/berth").resolve(ID));
        Files.writeString(pids.resolve("pids.current"), "3\n");
        Files.writeString(pids.resolve("pids.max"), "max\n");
        Files.writeString(pids.resolve("cgroup.procs"), "10\n11\n");
        CgroupReader r = new CgroupReader(root, false);
        ContainerStats st = r.stats(ID);
        assertThat(st.memoryUsage()).isEqualTo(1048576);
        assertThat(st.memoryLimit()).isEqualTo(20971520);
        assertThat(st.cpuTotalUsageNs()).isEqualTo(123456789);
        assertThat(st.perCpuUsageNs()).containsExactly(100L, 200L);
        assertThat(st.pidsCurrent()).isEqualTo(3);
        assertThat(st.pidsLimit()).isZero();
        assertThat(r.pids(ID)).containsExactly(10, 11);
        assertThat(r.oomKilled(ID)).isTrue();
    }

    @Test
    void startFailuresCarryDockersExitCodesAndPhrases() {
        StartFailure notFound = StartFailure.of(new io.berth.oci.errors.SystemFailureException("executable `nope` not found"), "nope");
        assertThat(notFound.exitCode()).isEqualTo(127);
        assertThat(notFound.message()).startsWith("exec: \"nope\": executable file not found in $PATH: ");
        assertThat(notFound.toException(new RuntimeException())).isInstanceOf(io.berth.oci.errors.InvalidArgumentException.class);

        StartFailure denied = StartFailure.of(new java.io.IOException("open /bin/x: Permission denied"), "/bin/x");
        assertThat(denied.exitCode()).isEqualTo(126);
        assertThat(denied.message()).endsWith(": permission denied");

        io.berth.oci.errors.SystemFailureException other = new io.berth.oci.errors.SystemFailureException("cgroup trouble");
        StartFailure failure = StartFailure.of(other, "sh");
        assertThat(failure.exitCode()).isEqualTo(128);
        assertThat(failure.message()).isEqualTo("cgroup trouble");
        assertThat(failure.toException(other)).isSameAs(other);
        assertThat(failure.toException(new java.io.IOException("x"))).isInstanceOf(io.berth.oci.errors.SystemFailureException.class);
    }

    @Test
    void processTableKeepsTitlesAndTheContainersPidsOnly() {
        String ps = "UID PID PPID C STIME TTY TIME CMD\nroot 1 0 0 10:00 ? 00:00:01 /sbin/init splash\n"
                + "root 42 1 0 10:01 ? 00:00:00 sleep 60\n\n";
        List<List<String>> rows = ProcessTable.filter(ps, List.of(42));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(rows.get(1)).containsExactly("root", "42", "1", "0", "10:01", "?", "00:00:00", "sleep 60");
        assertThatThrownBy(() -> ProcessTable.filter("USER CMD\n", List.of(1)))
                .isInstanceOf(io.berth.oci.errors.InvalidArgumentException.class);
    }

    @Test
    void userMountsBecomeOciMountsAfterBerthsOwnAndReplaceThemOnTheSameDestination() throws Exception {
        MountsSpec mounts = new MountsSpec(List.of(
                MountPoint.bind(MountPoint.Origin.BINDS, "/srv/a", "/data/sub", false, "", "rprivate"),
                MountPoint.bind(MountPoint.Origin.MOUNTS, "/srv/b", "/data", true, "ro", "rslave"),
                MountPoint.tmpfs(MountPoint.Origin.TMPFS, "/dev/shm", false, List.of("size=1m", "exec")),
                MountPoint.tmpfs(MountPoint.Origin.MOUNTS, "/run", true, List.of("mode=1777"))));
        ContainerSpec spec = spec(Resources.UNLIMITED, "", false, false).toBuilder().mounts(mounts).build();
        JsonNode c = OciConfig.build(spec, ContainerPaths.of(Path.of("/data"), Path.of("/run/berth/exec"), ID),
                new ResolvedUser(0, 0, List.of(), "/root"), host());
        List<String> destinations = new java.util.ArrayList<>();
        c.at("/mounts").forEach(m -> destinations.add(m.path("destination").asText()));
        // berth's /dev/shm gives way to the user's; parents before children
        assertThat(destinations).containsExactly("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue",
                "/etc/resolv.conf", "/etc/hostname", "/etc/hosts", "/data", "/run", "/data/sub", "/dev/shm");
        JsonNode data = c.at("/mounts/9");
        assertThat(data.toString()).isEqualTo(
                "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"/srv/b\",\"options\":[\"rbind\",\"ro\",\"rslave\"]}");
        assertThat(c.at("/mounts/11/options").toString()).isEqualTo("[\"rbind\",\"rw\",\"rprivate\"]");
        assertThat(c.at("/mounts/12").toString()).isEqualTo(
                "{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"nodev\",\"size=1m\",\"exec\"]}");
        assertThat(c.at("/mounts/10/options").toString()).isEqualTo("[\"noexec\",\"nosuid\",\"nodev\",\"mode=1777\",\"ro\"]");

        // persisted and read back; a container.json from before mounts existed has "mounts": {}
        ContainerSpec back = ContainerStore.JSON.readValue(ContainerStore.JSON.writeValueAsBytes(spec), ContainerSpec.class);
        assertThat(back.mounts()).isEqualTo(mounts);
        assertThat(ContainerStore.JSON.readValue("{}", MountsSpec.class)).isEqualTo(MountsSpec.NONE);
    }

    @Test
    void tmpfsOptionsAreCheckedOneByOne() {
        assertThat(TmpfsOptions.parse("size=64m,mode=1777,uid=1000,noexec,exec,ro")).hasSize(6);
        assertThat(TmpfsOptions.parse("")).isEmpty();
        assertThatThrownBy(() -> TmpfsOptions.parse("size=lots")).hasMessage("invalid tmpfs option \"size=lots\"");
        assertThatThrownBy(() -> TmpfsOptions.parse("remount")).hasMessage("invalid tmpfs option \"remount\"");
        assertThatThrownBy(() -> TmpfsOptions.parse("mode=01777x")).hasMessage("invalid tmpfs option \"mode=01777x\"");
    }
}
