package io.berth.daemon.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.berth.daemon.http.ApiVersion;
import io.berth.linux.LinuxArch;

/**
 * The bodies of GET /info and GET /version: every key dockerd 20.10 answers (clients index them without checking),
 * each with what is true of this berthd and host. Swarm is not offered, so its section says "inactive" as a
 * dockerd outside a swarm does; containerd has no part in berth, so its commit is empty, while the OCI runtimes,
 * conmon and the init binary report what they are.
 */
final class EngineDescription {
    /** The counts /info starts with, and the live numbers only the caller knows. */
    record Counts(int containers, long running, long paused, int images, int eventListeners) {}

    private final SystemRoutes.DaemonFacts daemon;
    private final HostProbe host;

    EngineDescription(SystemRoutes.DaemonFacts daemon, HostProbe host) {
        this.daemon = daemon;
        this.host = host;
    }

    Map<String, Object> info(Counts counts, Instant now) {
        boolean v2 = host.cgroupV2();
        Map<String, String> os = host.osRelease();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", daemon.id());
        m.put("Containers", counts.containers());
        m.put("ContainersRunning", counts.running());
        m.put("ContainersPaused", counts.paused());
        m.put("ContainersStopped", counts.containers() - counts.running() - counts.paused());
        m.put("Images", counts.images());
        m.put("Driver", "overlay2");
        m.put("DriverStatus", List.of(List.of("Backing Filesystem", HostProbe.backingFilesystem(daemon.dataRoot())),
                List.of("Supports d_type", "true"), List.of("Native Overlay Diff", "true"), List.of("userxattr", "false")));
        Map<String, Object> plugins = new LinkedHashMap<>();
        plugins.put("Volume", List.of("local"));
        plugins.put("Network", List.of("bridge", "host", "null"));
        plugins.put("Authorization", null);
        plugins.put("Log", io.berth.runtime.LogSettings.drivers());
        m.put("Plugins", plugins);
        m.put("MemoryLimit", true);
        m.put("SwapLimit", true);
        m.put("KernelMemory", false);
        m.put("KernelMemoryTCP", false);
        m.put("CpuCfsPeriod", true);
        m.put("CpuCfsQuota", true);
        m.put("CPUShares", true);
        m.put("CPUSet", true);
        m.put("PidsLimit", true);
        m.put("IPv4Forwarding", "1".equals(host.sysctl("net/ipv4/ip_forward")));
        m.put("BridgeNfIptables", "1".equals(host.sysctl("net/bridge/bridge-nf-call-iptables")));
        m.put("BridgeNfIp6tables", "1".equals(host.sysctl("net/bridge/bridge-nf-call-ip6tables")));
        m.put("Debug", false);
        m.put("NFd", host.openFiles());
        // memory.oom_control, which create's OomKillDisable writes, exists only in cgroup v1
        m.put("OomKillDisable", !v2);
        m.put("NGoroutines", Thread.activeCount());
        m.put("SystemTime", now.toString());
        m.put("LoggingDriver", daemon.loggingDriver());
        m.put("CgroupDriver", "cgroupfs");
        m.put("CgroupVersion", v2 ? "2" : "1");
        m.put("NEventsListener", counts.eventListeners());
        m.put("KernelVersion", System.getProperty("os.version"));
        m.put("OperatingSystem", os.getOrDefault("PRETTY_NAME", "Linux"));
        m.put("OSVersion", os.getOrDefault("VERSION_ID", ""));
        m.put("OSType", "linux");
        m.put("Architecture", LinuxArch.current().machine());
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        m.put("RegistryConfig", registryConfig());
        m.put("NCPU", Runtime.getRuntime().availableProcessors());
        m.put("MemTotal", host.memTotal());
        m.put("GenericResources", null);
        m.put("DockerRootDir", daemon.dataRoot().toString());
        m.put("HttpProxy", proxy("HTTP_PROXY"));
        m.put("HttpsProxy", proxy("HTTPS_PROXY"));
        m.put("NoProxy", proxy("NO_PROXY"));
        m.put("Name", host.hostName());
        m.put("Labels", List.of());
        m.put("ExperimentalBuild", false);
        m.put("ServerVersion", ApiVersion.ENGINE);
        Map<String, Object> runtimes = new LinkedHashMap<>();
        daemon.runtimes().forEach((name, path) -> runtimes.put(name, Map.of("path", path.toString())));
        m.put("Runtimes", runtimes);
        m.put("DefaultRuntime", daemon.defaultRuntime());
        Map<String, Object> swarm = new LinkedHashMap<>();
        swarm.put("NodeID", "");
        swarm.put("NodeAddr", "");
        swarm.put("LocalNodeState", "inactive");
        swarm.put("ControlAvailable", false);
        swarm.put("Error", "");
        swarm.put("RemoteManagers", null);
        m.put("Swarm", swarm);
        // Containers live on under conmon while berthd is stopped or restarted: what dockerd calls live restore.
        m.put("LiveRestoreEnabled", true);
        m.put("Isolation", "");
        m.put("InitBinary", daemon.init().getFileName().toString());
        m.put("ContainerdCommit", commit(""));
        Path defaultRuntime = daemon.runtimes().get(daemon.defaultRuntime());
        m.put("RuncCommit", commit(defaultRuntime == null ? "" : host.programVersion(defaultRuntime)));
        m.put("InitCommit", commit(host.programVersion(daemon.init())));
        List<String> security = new ArrayList<>(List.of("name=seccomp,profile=builtin"));
        if (v2) security.add("name=cgroupns");
        m.put("SecurityOptions", security);
        m.put("Warnings", warnings(m));
        return m;
    }

    /** GET /version: the engine and, as dockerd lists containerd, runc and docker-init, the programs berth runs. */
    Map<String, Object> version() {
        String arch = LinuxArch.current().goName();
        String kernel = System.getProperty("os.version");
        String goVersion = "java" + Runtime.version().feature();
        List<Map<String, Object>> components = new ArrayList<>();
        Map<String, Object> engineDetails = new LinkedHashMap<>();
        engineDetails.put("ApiVersion", ApiVersion.CURRENT);
        engineDetails.put("Arch", arch);
        engineDetails.put("BuildTime", "");
        engineDetails.put("Experimental", "false");
        engineDetails.put("GitCommit", "berth");
        engineDetails.put("GoVersion", goVersion);
        engineDetails.put("KernelVersion", kernel);
        engineDetails.put("MinAPIVersion", ApiVersion.MINIMUM);
        engineDetails.put("Os", "linux");
        components.add(component("Engine", ApiVersion.ENGINE, engineDetails));
        daemon.runtimes().forEach((name, path) -> {
            String v = host.programVersion(path);
            if (!v.isEmpty()) components.add(component(name, v, Map.of("GitCommit", "")));
        });
        String conmon = host.programVersion(daemon.conmon());
        if (!conmon.isEmpty()) components.add(component("conmon", conmon, Map.of("GitCommit", "")));
        String init = host.programVersion(daemon.init());
        if (!init.isEmpty()) components.add(component("docker-init", init, Map.of("GitCommit", "")));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Platform", Map.of("Name", "berth"));
        m.put("Components", components);
        m.put("Version", ApiVersion.ENGINE);
        m.put("ApiVersion", ApiVersion.CURRENT);
        m.put("MinAPIVersion", ApiVersion.MINIMUM);
        m.put("GitCommit", "berth");
        m.put("GoVersion", goVersion);
        m.put("Os", "linux");
        m.put("Arch", arch);
        m.put("KernelVersion", kernel);
        m.put("BuildTime", "");
        return m;
    }

    private Map<String, Object> registryConfig() {
        List<String> cidrs = new ArrayList<>();
        Map<String, Object> indexes = new LinkedHashMap<>();
        // Loopback registries are always allowed plain HTTP by berth, as dockerd's default 127.0.0.0/8 entry says.
        cidrs.add("127.0.0.0/8");
        for (String r : daemon.insecureRegistries()) {
            if (r.contains("/")) cidrs.add(r);
            else indexes.put(r, Map.of("Name", r, "Mirrors", List.of(), "Secure", false, "Official", false));
        }
        indexes.put("docker.io", Map.of("Name", "docker.io", "Mirrors", List.of(), "Secure", true, "Official", true));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AllowNondistributableArtifactsCIDRs", List.of());
        m.put("AllowNondistributableArtifactsHostnames", List.of());
        m.put("InsecureRegistryCIDRs", cidrs);
        m.put("IndexConfigs", indexes);
        m.put("Mirrors", List.of());
        return m;
    }

    /** dockerd's warnings for what the host lacks that a user would expect. */
    private static List<String> warnings(Map<String, Object> info) {
        List<String> w = new ArrayList<>();
        if (!Boolean.TRUE.equals(info.get("IPv4Forwarding"))) w.add("WARNING: IPv4 forwarding is disabled");
        return w;
    }

    private static Map<String, Object> component(String name, String version, Map<String, Object> details) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Name", name);
        c.put("Version", version);
        c.put("Details", details);
        return c;
    }

    private static Map<String, String> commit(String id) {
        return Map.of("ID", id, "Expected", id);
    }

    private static String proxy(String name) {
        String v = System.getenv(name);
        if (v == null) v = System.getenv(name.toLowerCase(java.util.Locale.ROOT));
        return v == null ? "" : v;
    }
}
