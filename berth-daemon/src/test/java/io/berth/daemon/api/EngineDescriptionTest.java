package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /info and /version carry every key dockerd 20.10 answers, with the host's values read from its files. */
class EngineDescriptionTest {
    /** The keys of dockerd 20.10's GET /info (Engine API v1.41 SystemInfo). */
    static final List<String> DOCKERD_20_10_INFO_KEYS = List.of("ID", "Containers", "ContainersRunning", "ContainersPaused",
            "ContainersStopped", "Images", "Driver", "DriverStatus", "Plugins", "MemoryLimit", "SwapLimit", "KernelMemory",
            "KernelMemoryTCP", "CpuCfsPeriod", "CpuCfsQuota", "CPUShares", "CPUSet", "PidsLimit", "IPv4Forwarding",
            "BridgeNfIptables", "BridgeNfIp6tables", "Debug", "NFd", "OomKillDisable", "NGoroutines", "SystemTime",
            "LoggingDriver", "CgroupDriver", "CgroupVersion", "NEventsListener", "KernelVersion", "OperatingSystem",
            "OSVersion", "OSType", "Architecture", "IndexServerAddress", "RegistryConfig", "NCPU", "MemTotal",
            "GenericResources", "DockerRootDir", "HttpProxy", "HttpsProxy", "NoProxy", "Name", "Labels",
            "ExperimentalBuild", "ServerVersion", "Runtimes", "DefaultRuntime", "Swarm", "LiveRestoreEnabled",
            "Isolation", "InitBinary", "ContainerdCommit", "RuncCommit", "InitCommit", "SecurityOptions", "Warnings");

    private static EngineDescription description(Path host, Path dataRoot) {
        return new EngineDescription(new SystemRoutes.DaemonFacts("8c1e6b52-7d1f-4a57-a5a0-6c8d6d0c2f11", dataRoot, "crun",
                Map.of("crun", host.resolve("usr/bin/crun")), host.resolve("usr/bin/conmon"), host.resolve("usr/bin/catatonit"),
                List.of("10.0.0.0/8", "reg.example:5000")), new HostProbe(host));
    }

    @Test
    void infoHasEveryKeyOfDockerd2010WithTheHostsValues(@TempDir Path host) throws Exception {
        Files.createDirectories(host.resolve("etc"));
        Files.writeString(host.resolve("etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\n");
        Files.createDirectories(host.resolve("proc/sys/net/ipv4"));
        Files.writeString(host.resolve("proc/sys/net/ipv4/ip_forward"), "1\n");
        Files.createDirectories(host.resolve("proc/sys/kernel"));
        Files.writeString(host.resolve("proc/sys/kernel/hostname"), "box\n");
        Files.writeString(host.resolve("proc/meminfo"), "MemTotal:       1000 kB\nMemFree: 1 kB\n");

        Map<String, Object> info = description(host, host).info(new EngineDescription.Counts(3, 1, 1, 2, 4), Instant.EPOCH);

        assertThat(info).containsKeys(DOCKERD_20_10_INFO_KEYS.toArray(String[]::new));
        assertThat(info).containsEntry("ID", "8c1e6b52-7d1f-4a57-a5a0-6c8d6d0c2f11")
                .containsEntry("ContainersStopped", 1L).containsEntry("NEventsListener", 4)
                .containsEntry("OperatingSystem", "Debian GNU/Linux 12 (bookworm)").containsEntry("OSVersion", "12")
                .containsEntry("IPv4Forwarding", true).containsEntry("BridgeNfIptables", false)
                .containsEntry("Name", "box").containsEntry("MemTotal", 1024000L)
                .containsEntry("Debug", false).containsEntry("ExperimentalBuild", false)
                .containsEntry("DefaultRuntime", "crun").containsEntry("CgroupVersion", "1").containsEntry("OomKillDisable", true)
                .containsEntry("SystemTime", "1970-01-01T00:00:00Z").containsEntry("InitBinary", "catatonit");
        assertThat(info.get("Swarm")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("LocalNodeState", "inactive").containsEntry("ControlAvailable", false);
        assertThat(info.get("Runtimes")).isEqualTo(Map.of("crun", Map.of("path", host.resolve("usr/bin/crun").toString())));
        assertThat(info.get("SecurityOptions")).isEqualTo(List.of("name=seccomp,profile=builtin"));
        // the log drivers berth has, not only the one it used before it had drivers
        assertThat(info.get("Plugins")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("Log", List.of("json-file", "k8s-file", "local", "none"));
        assertThat(info.get("Warnings")).isEqualTo(List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> registries = (Map<String, Object>) info.get("RegistryConfig");
        assertThat(registries.get("InsecureRegistryCIDRs")).isEqualTo(List.of("127.0.0.0/8", "10.0.0.0/8"));
        assertThat(registries.get("IndexConfigs")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("docker.io", "reg.example:5000");
    }

    @Test
    void aHostWithoutForwardingIsWarnedAbout(@TempDir Path host) {
        Map<String, Object> info = description(host, host).info(new EngineDescription.Counts(0, 0, 0, 0, 0), Instant.EPOCH);
        assertThat(info).containsEntry("IPv4Forwarding", false).containsEntry("OperatingSystem", "Linux");
        assertThat(info.get("Warnings")).isEqualTo(List.of("WARNING: IPv4 forwarding is disabled"));
    }

    @Test
    void versionNamesTheArchitectureInTheEngineComponent(@TempDir Path host) {
        Map<String, Object> version = description(host, host).version();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> components = (List<Map<String, Object>>) version.get("Components");
        assertThat(components).hasSize(1); // the fake tree has no programs to ask for their versions
        assertThat(components.getFirst()).containsEntry("Name", "Engine");
        assertThat(components.getFirst().get("Details")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("Arch", version.get("Arch")).containsEntry("Os", "linux")
                .containsKeys("ApiVersion", "MinAPIVersion", "GoVersion", "GitCommit", "KernelVersion", "BuildTime", "Experimental");
        assertThat((String) version.get("Arch")).isNotEmpty();
    }

    @Test
    void programVersionsAreTheWordAfterVersion() {
        assertThat(HostProbe.parseVersion("crun version 1.8.1\ncommit: abc\n")).isEqualTo("1.8.1");
        assertThat(HostProbe.parseVersion("conmon version 2.1.6\ncommit: unknown\n")).isEqualTo("2.1.6");
        assertThat(HostProbe.parseVersion("runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1\n")).isEqualTo("1.1.5+ds1");
        assertThat(HostProbe.parseVersion("tini version v0.19.0\n")).isEqualTo("0.19.0");
        assertThat(HostProbe.parseVersion("catatonit version 0.1.7\n")).isEqualTo("0.1.7");
        assertThat(HostProbe.parseVersion("garbage")).isEmpty();
    }
}
