package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CreateOptionsTest {

    @TempDir
    Path dir;

    private static RunCommand parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run.model()).setStopAtPositional(true).parseArgs(args);
        return run;
    }

    private static JsonNode body(String... args) {
        RunCommand run = parse(args);
        return run.options.toCreateBody(run.detach, Map.of("HOME", "/root"));
    }

    @Test
    void resourceFlagsBecomeHostConfigLimits() {
        JsonNode hc = body("--memory-reservation", "32m", "--memory-swappiness", "10", "--kernel-memory", "64m", "--oom-kill-disable",
                "--oom-score-adj", "-200", "--cpuset-cpus", "0-1", "--cpuset-mems", "0", "--cpu-period", "50000", "--cpu-quota", "25000",
                "--cpu-rt-period", "1000000", "--cpu-rt-runtime", "10000", "--blkio-weight", "300",
                "--device-read-bps", "/dev/vda:1mb", "--device-write-bps", "/dev/vda:2m", "--device-read-iops", "/dev/vda:100",
                "--device-write-iops", "/dev/vda:50", "--sysctl", "net.ipv4.ip_forward=1", "--sysctl", "kernel.shmmax=1000",
                "--shm-size", "128m", "--ulimit", "nofile=100:200", "busybox").path("HostConfig");
        assertThat(hc.path("MemoryReservation").asLong()).isEqualTo(32L << 20);
        assertThat(hc.path("MemorySwappiness").asLong()).isEqualTo(10);
        assertThat(hc.path("KernelMemory").asLong()).isEqualTo(64L << 20);
        assertThat(hc.path("OomKillDisable").asBoolean()).isTrue();
        assertThat(hc.path("OomScoreAdj").asInt()).isEqualTo(-200);
        assertThat(hc.path("CpusetCpus").asText()).isEqualTo("0-1");
        assertThat(hc.path("CpusetMems").asText()).isEqualTo("0");
        assertThat(hc.path("CpuPeriod").asLong()).isEqualTo(50000);
        assertThat(hc.path("CpuQuota").asLong()).isEqualTo(25000);
        assertThat(hc.path("CpuRealtimePeriod").asLong()).isEqualTo(1000000);
        assertThat(hc.path("CpuRealtimeRuntime").asLong()).isEqualTo(10000);
        assertThat(hc.path("BlkioWeight").asInt()).isEqualTo(300);
        assertThat(hc.path("BlkioDeviceReadBps").toString()).isEqualTo("[{\"Path\":\"/dev/vda\",\"Rate\":1048576}]");
        assertThat(hc.path("BlkioDeviceWriteBps").toString()).isEqualTo("[{\"Path\":\"/dev/vda\",\"Rate\":2097152}]");
        assertThat(hc.path("BlkioDeviceReadIOps").toString()).isEqualTo("[{\"Path\":\"/dev/vda\",\"Rate\":100}]");
        assertThat(hc.path("BlkioDeviceWriteIOps").toString()).isEqualTo("[{\"Path\":\"/dev/vda\",\"Rate\":50}]");
        assertThat(hc.path("Sysctls").toString()).isEqualTo("{\"net.ipv4.ip_forward\":\"1\",\"kernel.shmmax\":\"1000\"}");
        assertThat(hc.path("ShmSize").asLong()).isEqualTo(128L << 20);
        assertThat(hc.path("Ulimits").toString()).isEqualTo("[{\"Name\":\"nofile\",\"Soft\":100,\"Hard\":200}]");
        // not given: not sent
        JsonNode plain = body("busybox").path("HostConfig");
        for (String f : List.of("MemoryReservation", "MemorySwappiness", "OomKillDisable", "OomScoreAdj", "CpusetCpus", "CpuPeriod",
                "BlkioDeviceReadBps", "Sysctls")) {
            assertThat(plain.has(f)).as(f).isFalse();
        }
        assertThatThrownBy(() -> body("--device-read-bps", "/dev/vda", "busybox")).hasMessage("bad format: /dev/vda");
        assertThatThrownBy(() -> body("--device-read-bps", "vda:1mb", "busybox")).hasMessage("bad format for device path: vda:1mb");
        assertThatThrownBy(() -> body("--device-read-iops", "/dev/vda:1k", "busybox"))
                .hasMessageStartingWith("invalid rate for device: /dev/vda:1k.");
        assertThatThrownBy(() -> body("--sysctl", "net.ipv4.ip_forward", "busybox")).hasMessageContaining("--sysctl");
    }

    @Test
    void runFlagsBecomeTheCreateBody() {
        JsonNode b = body("--rm", "-it", "--name", "web", "-e", "A=1", "-e", "HOME", "-e", "UNSET", "-w", "/srv", "-u", "1000:1000",
                "--init", "-m", "512m", "--cpus", "1.5", "--pids-limit", "64", "--read-only", "--cap-add", "NET_ADMIN",
                "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--stop-signal", "SIGINT", "--stop-timeout", "3",
                "--runtime", "runc", "-l", "a=b", "-l", "flag", "--privileged", "-h", "box",
                "busybox", "sh", "-c", "echo -n hi");
        assertThat(b.path("Image").asText()).isEqualTo("busybox");
        assertThat(b.path("Cmd").toString()).isEqualTo("[\"sh\",\"-c\",\"echo -n hi\"]");
        assertThat(b.has("Entrypoint")).isFalse();
        assertThat(b.path("Env").toString()).isEqualTo("[\"A=1\",\"HOME=/root\",\"UNSET\"]");
        assertThat(b.path("WorkingDir").asText()).isEqualTo("/srv");
        assertThat(b.path("User").asText()).isEqualTo("1000:1000");
        assertThat(b.path("Hostname").asText()).isEqualTo("box");
        assertThat(b.path("Tty").asBoolean()).isTrue();
        assertThat(b.path("OpenStdin").asBoolean()).isTrue();
        assertThat(b.path("AttachStdin").asBoolean()).isTrue();
        assertThat(b.path("AttachStdout").asBoolean()).isTrue();
        assertThat(b.path("StdinOnce").asBoolean()).isTrue();
        assertThat(b.path("StopSignal").asText()).isEqualTo("SIGINT");
        assertThat(b.path("StopTimeout").asInt()).isEqualTo(3);
        assertThat(b.path("Labels").toString()).isEqualTo("{\"a\":\"b\",\"flag\":\"\"}");
        JsonNode hc = b.path("HostConfig");
        assertThat(hc.path("AutoRemove").asBoolean()).isTrue();
        assertThat(hc.path("Init").asBoolean()).isTrue();
        assertThat(hc.path("Memory").asLong()).isEqualTo(512L * 1024 * 1024);
        assertThat(hc.path("NanoCpus").asLong()).isEqualTo(1_500_000_000L);
        assertThat(hc.path("PidsLimit").asLong()).isEqualTo(64);
        assertThat(hc.path("ReadonlyRootfs").asBoolean()).isTrue();
        assertThat(hc.path("CapAdd").toString()).isEqualTo("[\"NET_ADMIN\"]");
        assertThat(hc.path("CapDrop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(hc.path("SecurityOpt").toString()).isEqualTo("[\"no-new-privileges\"]");
        assertThat(hc.path("Runtime").asText()).isEqualTo("runc");
        assertThat(hc.path("Privileged").asBoolean()).isTrue();
        assertThat(hc.path("RestartPolicy").toString()).isEqualTo("{\"Name\":\"no\",\"MaximumRetryCount\":0}");
        assertThat(hc.path("NetworkMode").asText()).isEqualTo("default");
    }

    @Test
    void detachedRunAttachesNothingAndLeavesOptionalFieldsOut() {
        JsonNode b = body("-d", "busybox");
        assertThat(b.path("AttachStdin").asBoolean()).isFalse();
        assertThat(b.path("AttachStdout").asBoolean()).isFalse();
        assertThat(b.path("AttachStderr").asBoolean()).isFalse();
        assertThat(b.path("StdinOnce").asBoolean()).isFalse();
        assertThat(b.has("Cmd")).isFalse();
        assertThat(b.has("StopTimeout")).isFalse();
        assertThat(b.path("HostConfig").has("Init")).isFalse();
        assertThat(b.path("HostConfig").has("Memory")).isFalse();
        assertThat(b.path("HostConfig").path("AutoRemove").asBoolean()).isFalse();
    }

    @Test
    void attachedRunWithoutStdinAttachesOutputOnly() {
        JsonNode b = body("busybox", "true");
        assertThat(b.path("AttachStdin").asBoolean()).isFalse();
        assertThat(b.path("AttachStdout").asBoolean()).isTrue();
        assertThat(b.path("AttachStderr").asBoolean()).isTrue();
        assertThat(b.path("OpenStdin").asBoolean()).isFalse();
    }

    @Test
    void entrypointRestartPortsAndVolumes() {
        JsonNode b = body("--entrypoint", "/bin/sh", "--restart", "on-failure:3", "-p", "127.0.0.1:8080:80", "-p", "53/udp",
                "-v", "/host:/data:ro", "-v", "/anon", "--tmpfs", "/run:size=64m", "busybox", "-c", "ls -l");
        assertThat(b.path("Entrypoint").toString()).isEqualTo("[\"/bin/sh\"]");
        assertThat(b.path("Cmd").toString()).isEqualTo("[\"-c\",\"ls -l\"]");
        JsonNode hc = b.path("HostConfig");
        assertThat(hc.path("RestartPolicy").toString()).isEqualTo("{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}");
        assertThat(hc.path("PortBindings").toString())
                .isEqualTo("{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}],\"53/udp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}");
        assertThat(b.path("ExposedPorts").toString()).isEqualTo("{\"80/tcp\":{},\"53/udp\":{}}");
        assertThat(hc.path("Binds").toString()).isEqualTo("[\"/host:/data:ro\"]");
        assertThat(b.path("Volumes").toString()).isEqualTo("{\"/anon\":{}}");
        assertThat(hc.path("Tmpfs").toString()).isEqualTo("{\"/run\":\"size=64m\"}");
    }

    @Test
    void volumesFromBecomesHostConfigVolumesFrom() {
        JsonNode hc = body("--volumes-from", "data", "--volumes-from", "logs:ro", "busybox").path("HostConfig");
        assertThat(hc.path("VolumesFrom").toString()).isEqualTo("[\"data\",\"logs:ro\"]");
        assertThat(body("busybox").path("HostConfig").has("VolumesFrom")).isFalse();
    }

    @Test
    void mountFlagsBecomeMountsEntriesWithTheDockerClisKeys() {
        JsonNode hc = body("--mount", "type=bind,src=/srv,dst=/data,readonly,bind-propagation=rslave",
                "--mount", "type=tmpfs,destination=/run,tmpfs-size=64m,tmpfs-mode=1770",
                "--mount", "source=cache,target=/c,volume-nocopy,ro=false", "busybox").path("HostConfig");
        assertThat(hc.path("Mounts").toString()).isEqualTo("[{\"Type\":\"bind\",\"Source\":\"/srv\",\"Target\":\"/data\","
                + "\"ReadOnly\":true,\"BindOptions\":{\"Propagation\":\"rslave\"}},"
                + "{\"Type\":\"tmpfs\",\"Target\":\"/run\",\"TmpfsOptions\":{\"SizeBytes\":67108864,\"Mode\":1016}},"
                + "{\"Type\":\"volume\",\"Source\":\"cache\",\"Target\":\"/c\",\"ReadOnly\":false,\"VolumeOptions\":{\"NoCopy\":true}}]");
        assertThatThrownBy(() -> MountOption.parse("type=bind,bogus=1")).hasMessage("unexpected key 'bogus' in 'bogus=1'");
        assertThatThrownBy(() -> MountOption.parse("type=bind,target")).hasMessage("invalid field 'target' must be a key=value pair");
    }

    @Test
    void emptyEntrypointClearsTheImageEntrypoint() {
        assertThat(body("--entrypoint", "", "busybox").path("Entrypoint").toString()).isEqualTo("[\"\"]");
    }

    @Test
    void restartPoliciesAndConflicts() {
        assertThat(body("--restart", "always", "busybox").path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("always");
        assertThat(body("--restart", "unless-stopped", "busybox").path("HostConfig").path("RestartPolicy").path("Name").asText())
                .isEqualTo("unless-stopped");
        assertThatThrownBy(() -> body("--rm", "--restart", "always", "busybox")).hasMessage("Conflicting options: --restart and --rm");
        assertThatThrownBy(() -> body("--restart", "sometimes", "busybox")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> body("--restart", "always:2", "busybox")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> body("-d", "-a", "stdout", "busybox")).hasMessage("Conflicting options: -a and -d");
    }

    @Test
    void envFilesComeBeforeEnvFlags() throws Exception {
        Path file = dir.resolve("env");
        Files.writeString(file, "# comment\n\nB=2\n  C=with spaces \"kept\"\nHOME\nMISSING\n");
        JsonNode b = body("--env-file", file.toString(), "-e", "A=1", "busybox");
        assertThat(b.path("Env").toString()).isEqualTo("[\"B=2\",\"C=with spaces \\\"kept\\\"\",\"HOME=/root\",\"A=1\"]");
    }

    @Test
    void cpusMustBeRepresentableInNanoseconds() {
        assertThat(CreateOptions.nanoCpus("0.000000001")).isEqualTo(1);
        assertThat(CreateOptions.nanoCpus("2")).isEqualTo(2_000_000_000L);
        assertThatThrownBy(() -> CreateOptions.nanoCpus("0.0000000001")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CreateOptions.nanoCpus("99999999999999999999999")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--cpus");
    }

    @Test
    void execBodyCarriesCommandAndStreams() {
        ExecCommand exec = new ExecCommand();
        new CommandLine(exec.model()).setStopAtPositional(true).parseArgs("-i", "-e", "X=1", "-w", "/tmp", "-u", "nobody", "--privileged",
                "c1", "sh", "-c", "exit 3");
        JsonNode b = exec.toExecBody(Map.of(), null);
        assertThat(b.path("Cmd").toString()).isEqualTo("[\"sh\",\"-c\",\"exit 3\"]");
        assertThat(b.path("AttachStdin").asBoolean()).isTrue();
        assertThat(b.path("AttachStdout").asBoolean()).isTrue();
        assertThat(b.path("Tty").asBoolean()).isFalse();
        assertThat(b.path("Env").toString()).isEqualTo("[\"X=1\"]");
        assertThat(b.path("WorkingDir").asText()).isEqualTo("/tmp");
        assertThat(b.path("User").asText()).isEqualTo("nobody");
        assertThat(b.path("Privileged").asBoolean()).isTrue();
    }

    @Test
    void aSeccompProfileFileIsSentAsItsCompactedContentAsDockerDoes() throws Exception {
        Path profile = dir.resolve("deny.json");
        Files.writeString(profile, "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": []\n}\n");
        JsonNode hc = body("--security-opt", "seccomp=" + profile, "--security-opt", "seccomp=unconfined",
                "--security-opt", "seccomp=builtin", "--security-opt", "no-new-privileges", "busybox").path("HostConfig");
        assertThat(hc.path("SecurityOpt").toString()).isEqualTo("[\"seccomp={\\\"defaultAction\\\":\\\"SCMP_ACT_ALLOW\\\","
                + "\\\"syscalls\\\":[]}\",\"seccomp=unconfined\",\"seccomp=builtin\",\"no-new-privileges\"]");
        assertThatThrownBy(() -> body("--security-opt", "seccomp=" + dir.resolve("absent.json"), "busybox"))
                .hasMessageContaining("opening seccomp profile (" + dir.resolve("absent.json") + ") failed");
        Files.writeString(dir.resolve("broken.json"), "{nope");
        assertThatThrownBy(() -> body("--security-opt", "seccomp=" + dir.resolve("broken.json"), "busybox"))
                .hasMessageContaining("compacting json for seccomp profile");
        assertThatThrownBy(() -> body("--security-opt", "apparmor", "busybox")).hasMessage("invalid --security-opt: \"apparmor\"");
    }

    @Test
    void networkFlagsBecomeNetworkModeAndEndpointsAsTheDockerCliSendsThem() {
        JsonNode plain = body("busybox");
        assertThat(plain.path("HostConfig").path("NetworkMode").asText()).isEqualTo("default");
        assertThat(plain.path("NetworkingConfig").path("EndpointsConfig").toString()).isEqualTo("{\"default\":{}}");
        JsonNode one = body("--network", "appnet", "busybox");
        assertThat(one.path("HostConfig").path("NetworkMode").asText()).isEqualTo("appnet");
        assertThat(one.path("NetworkingConfig").path("EndpointsConfig").toString()).isEqualTo("{}");
        JsonNode b = body("--net", "appnet", "--network-alias", "web", "--net-alias", "www", "--ip", "10.1.0.5", "--ip6", "fd00::5",
                "--mac-address", "02:42:ac:11:00:09", "-h", "box", "--dns", "1.1.1.1", "--dns-search", "example.org",
                "--dns-option", "ndots:2", "--add-host", "db:10.0.0.2", "-P", "busybox");
        assertThat(b.path("NetworkingConfig").path("EndpointsConfig").toString()).isEqualTo(
                "{\"appnet\":{\"IPAMConfig\":{\"IPv4Address\":\"10.1.0.5\",\"IPv6Address\":\"fd00::5\"},\"Aliases\":[\"web\",\"www\"],"
                        + "\"MacAddress\":\"02:42:ac:11:00:09\"}}");
        assertThat(b.path("MacAddress").asText()).isEqualTo("02:42:ac:11:00:09");
        assertThat(b.path("Hostname").asText()).isEqualTo("box");
        JsonNode hc = b.path("HostConfig");
        assertThat(hc.path("Dns").toString()).isEqualTo("[\"1.1.1.1\"]");
        assertThat(hc.path("DnsSearch").toString()).isEqualTo("[\"example.org\"]");
        assertThat(hc.path("DnsOptions").toString()).isEqualTo("[\"ndots:2\"]");
        assertThat(hc.path("ExtraHosts").toString()).isEqualTo("[\"db:10.0.0.2\"]");
        assertThat(hc.path("PublishAllPorts").asBoolean()).isTrue();
        JsonNode advanced = body("--network", "name=appnet,alias=a1,ip=10.1.0.7", "--network", "backnet", "busybox");
        assertThat(advanced.path("NetworkingConfig").path("EndpointsConfig").toString()).isEqualTo(
                "{\"appnet\":{\"IPAMConfig\":{\"IPv4Address\":\"10.1.0.7\"},\"Aliases\":[\"a1\"]},\"backnet\":{}}");
        // --link as the docker CLI sends it: HostConfig.Links "name:alias" or "name", as given
        assertThat(body("--link", "db:database", "--link", "cache", "busybox").path("HostConfig").path("Links").toString())
                .isEqualTo("[\"db:database\",\"cache\"]");
        assertThat(body("busybox").path("HostConfig").has("Links")).isFalse();
        JsonNode ipOnDefault = body("--ip", "172.17.0.9", "busybox");
        assertThat(ipOnDefault.path("NetworkingConfig").path("EndpointsConfig").toString())
                .isEqualTo("{\"default\":{\"IPAMConfig\":{\"IPv4Address\":\"172.17.0.9\"}}}");
    }

    @Test
    void networkFlagConflictsInTheDockerClisWords() {
        assertThatThrownBy(() -> body("--network", "name=appnet,alias=a", "--network-alias", "b", "busybox"))
                .hasMessage("conflicting options: cannot specify both --network-alias and per-network alias");
        assertThatThrownBy(() -> body("--network", "name=appnet,ip=10.0.0.1", "--ip", "10.0.0.2", "busybox"))
                .hasMessage("conflicting options: cannot specify both --ip and per-network IPv4 address");
        assertThatThrownBy(() -> body("--network", "appnet", "--network", "host", "busybox"))
                .hasMessage("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
        assertThatThrownBy(() -> body("--network", "appnet", "--network", "appnet", "busybox"))
                .hasMessage("network \"appnet\" is specified multiple times");
        assertThatThrownBy(() -> body("--network-alias", "web", "busybox"))
                .hasMessage("network-scoped aliases are only supported for user-defined networks");
        assertThatThrownBy(() -> body("--network", "host", "--network-alias", "web", "busybox"))
                .hasMessage("network-scoped aliases are only supported for user-defined networks");
        assertThatThrownBy(() -> body("--mac-address", "zz", "busybox")).hasMessage("zz is not a valid mac address");
        assertThatThrownBy(() -> body("--network", "name=appnet,driver-opt=x=y", "busybox"))
                .hasMessage("berth does not support --network driver-opt yet");
        assertThatThrownBy(() -> body("-p", "8000:80-81", "busybox"))
                .hasMessage("invalid ranges specified for container and host Ports: 80-81 and 8000");
    }
}
