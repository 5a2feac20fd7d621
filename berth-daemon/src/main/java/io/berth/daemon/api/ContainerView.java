package io.berth.daemon.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.runtime.Container;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.MountPoint;
import io.berth.runtime.ContainerState;
import io.berth.runtime.LifecycleSpec;
import io.berth.runtime.ProcessSpec;
import io.berth.runtime.Resources;
import io.berth.runtime.SecuritySpec;

/** Renders berth's Container as Docker's ContainerJSON (inspect) and ContainerSummary (list). */
public final class ContainerView {
    private final NetworkResolver networks;
    private final NetworkStatusSource networkStatus;
    private final java.util.function.Function<String, Optional<String>> containerNames;

    /** A view that knows only the predefined networks and no running container's network state. */
    public ContainerView() {
        this(NetworkResolver.PREDEFINED, NetworkStatusSource.NONE);
    }

    public ContainerView(NetworkResolver networks, NetworkStatusSource networkStatus) {
        this(networks, networkStatus, id -> Optional.empty());
    }

    /** @param containerNames a container's current name from its full id, empty once it was removed (for links) */
    public ContainerView(NetworkResolver networks, NetworkStatusSource networkStatus,
                         java.util.function.Function<String, Optional<String>> containerNames) {
        this.networks = networks;
        this.networkStatus = networkStatus;
        this.containerNames = containerNames;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> inspect(Container c, List<String> execIds) {
        ContainerSpec spec = c.spec();
        ContainerState state = c.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", spec.id());
        m.put("Created", DockerTime.format(spec.created()));
        List<String> args = spec.process().args();
        m.put("Path", args.getFirst());
        m.put("Args", args.subList(1, args.size()));
        m.put("State", state(state));
        if (c.health() != null) ((Map<String, Object>) m.get("State")).put("Health", HealthcheckJson.render(c.health()));
        m.put("Image", spec.imageId());
        m.put("ResolvConfPath", c.paths().dir().resolve("resolv.conf").toString());
        m.put("HostnamePath", c.paths().dir().resolve("hostname").toString());
        m.put("HostsPath", c.paths().dir().resolve("hosts").toString());
        m.put("LogPath", spec.lifecycle().log().readable() ? c.logPath().toString() : "");
        m.put("Name", "/" + c.name());
        m.put("RestartCount", c.restartCount());
        m.put("Driver", "overlay2");
        m.put("Platform", "linux");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        m.put("ExecIDs", execIds.isEmpty() ? null : execIds);
        Map<String, Object> hostConfig = hostConfig(spec, c.runtime());
        hostConfig.put("Links", links(c));
        m.put("HostConfig", hostConfig);
        m.put("GraphDriver", Map.of("Name", "overlay2", "Data", Map.of(
                "LowerDir", String.join(":", spec.rootfs().lowerDirs().stream().map(Object::toString).toList()),
                "UpperDir", c.paths().dir().resolve("upper").toString(),
                "WorkDir", c.paths().dir().resolve("work").toString(),
                "MergedDir", c.paths().dir().resolve("merged").toString())));
        m.put("Mounts", mounts(spec));
        m.put("Config", config(spec));
        m.put("NetworkSettings", new NetworkSettingsView(networks).settings(spec, currentStatus(c)));
        return m;
    }

    /** Docker's form of each link, "/db:/web/database", under the linked container's current name; null for none. */
    private List<String> links(Container c) {
        List<String> out = new java.util.ArrayList<>();
        for (io.berth.runtime.NetworkSpec.Link l : c.spec().network().links()) {
            containerNames.apply(l.containerId()).ifPresent(name -> out.add("/" + name + ":/" + c.name() + "/" + l.alias()));
        }
        return out.isEmpty() ? null : out;
    }

    public Map<String, Object> summary(Container c) {
        ContainerSpec spec = c.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", spec.id());
        m.put("Names", List.of("/" + c.name()));
        m.put("Image", spec.image());
        m.put("ImageID", spec.imageId());
        m.put("Command", commandLine(spec.process().args()));
        m.put("Created", spec.created().getEpochSecond());
        Optional<ContainerNetworkStatus> status = currentStatus(c);
        m.put("Ports", NetworkSettingsView.portList(spec.network(), status));
        m.put("Labels", spec.labels());
        m.put("State", status(c.state()));
        m.put("Status", humanStatus(c));
        m.put("HostConfig", Map.of("NetworkMode", networkMode(spec)));
        m.put("NetworkSettings", Map.of("Networks", new NetworkSettingsView(networks).networks(spec, status)));
        m.put("Mounts", mounts(spec));
        return m;
    }

    /** The network step's state of a container that is running now; a stopped container's is stale, so none. */
    private Optional<ContainerNetworkStatus> currentStatus(Container c) {
        ContainerState.Status st = c.state().status();
        if (st != ContainerState.Status.RUNNING && st != ContainerState.Status.PAUSED) return Optional.empty();
        return networkStatus.status(c.spec().id());
    }

    /** HostConfig.NetworkMode as sent; "default" or nothing is shown as the mode it became ("bridge"), as Docker does. */
    static String networkMode(ContainerSpec spec) {
        String sent = createBody(spec).path("HostConfig").path("NetworkMode").asText("");
        return sent.isEmpty() || sent.equals("default") ? spec.network().mode() : sent;
    }

    /** Docker's lower-case state word: created, running, paused, restarting, removing, exited, dead. */
    /** Docker's `Mounts`: binds, volumes and Mounts entries as mounted (a HostConfig.Tmpfs mount is not listed, as in Docker). */
    static List<Map<String, Object>> mounts(ContainerSpec spec) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (MountPoint mp : spec.mounts().mounts()) {
            if (mp.origin() == MountPoint.Origin.TMPFS) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Type", switch (mp.kind()) {
                case BIND -> "bind";
                case VOLUME -> "volume";
                case TMPFS -> "tmpfs";
            });
            if (mp.kind() == MountPoint.Kind.VOLUME) m.put("Name", mp.volume());
            m.put("Source", mp.source());
            m.put("Destination", mp.destination());
            if (mp.kind() == MountPoint.Kind.VOLUME) m.put("Driver", "local");
            m.put("Mode", mp.mode());
            m.put("RW", !mp.readOnly());
            m.put("Propagation", mp.propagation());
            out.add(m);
        }
        return out;
    }

    /** What `--filter health=` matches: starting, healthy, unhealthy, or none for a container without checks. */
    static String healthStatus(Container c) {
        return c.health() == null ? "none" : c.health().status().dockerName();
    }

    public static String status(ContainerState s) {
        return s.status().dockerName();
    }

    static String humanStatus(Container c) {
        ContainerState s = c.state();
        Instant now = Instant.now();
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + since(s.startedAt(), now) + (c.health() == null ? "" : " (" + c.health().summary() + ")");
            case PAUSED -> "Up " + since(s.startedAt(), now) + " (Paused)";
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + since(s.finishedAt(), now) + " ago";
            case REMOVING -> "Removal In Progress";
            case EXITED -> "Exited (" + s.exitCode() + ") " + since(s.finishedAt(), now) + " ago";
            case DEAD -> "Dead";
        };
    }

    private static String since(Instant t, Instant now) {
        return HumanDuration.of(t == null ? Duration.ZERO : Duration.between(t, now));
    }

    private static Map<String, Object> state(ContainerState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", status(s));
        m.put("Running", s.status() == ContainerState.Status.RUNNING || s.status() == ContainerState.Status.PAUSED);
        m.put("Paused", s.status() == ContainerState.Status.PAUSED);
        m.put("Restarting", s.status() == ContainerState.Status.RESTARTING);
        m.put("OOMKilled", s.oomKilled());
        m.put("Dead", s.status() == ContainerState.Status.DEAD);
        m.put("Pid", s.pid());
        m.put("ExitCode", s.exitCode());
        m.put("Error", s.error() == null ? "" : s.error());
        m.put("StartedAt", DockerTime.format(s.startedAt()));
        m.put("FinishedAt", DockerTime.format(s.finishedAt()));
        return m;
    }

    static Map<String, Object> hostConfig(ContainerSpec spec, String runtimeName) {
        JsonNode body = createBody(spec);
        LifecycleSpec lifecycle = spec.lifecycle();
        SecuritySpec security = spec.security();
        Resources resources = spec.resources();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("NetworkMode", networkMode(spec));
        m.put("RestartPolicy", Map.of("Name", lifecycle.restartPolicy().name(), "MaximumRetryCount", lifecycle.restartPolicy().maximumRetryCount()));
        m.put("AutoRemove", lifecycle.autoRemove());
        m.put("Runtime", runtimeName);
        m.put("Privileged", security.privileged());
        m.put("ReadonlyRootfs", security.readOnlyRootfs());
        m.put("CapAdd", security.capAdd().isEmpty() ? null : security.capAdd());
        m.put("CapDrop", security.capDrop().isEmpty() ? null : security.capDrop());
        // every option in the request was applied (create refuses any other), so they are shown as sent
        JsonNode securityOpt = body.path("HostConfig").path("SecurityOpt");
        m.put("SecurityOpt", securityOpt.isArray() && !securityOpt.isEmpty() ? securityOpt : null);
        m.put("Init", spec.process().init());
        // namespace modes as sent (Docker's), the defaults berth chose where none was: IPC private, the host's cgroup
        // namespace on cgroup v1 and a private one on v2
        String ipcSent = body.path("HostConfig").path("IpcMode").asText("");
        m.put("IpcMode", ipcSent.isEmpty() ? spec.namespaces().ipc() : ipcSent);
        m.put("PidMode", body.path("HostConfig").path("PidMode").asText(""));
        m.put("UTSMode", body.path("HostConfig").path("UTSMode").asText(""));
        m.put("UsernsMode", body.path("HostConfig").path("UsernsMode").asText(""));
        m.put("CgroupnsMode", spec.namespaces().cgroup());
        JsonNode devices = body.path("HostConfig").path("Devices");
        m.put("Devices", devices.isArray() ? devices : List.of());
        JsonNode deviceRules = body.path("HostConfig").path("DeviceCgroupRules");
        m.put("DeviceCgroupRules", deviceRules.isArray() && !deviceRules.isEmpty() ? deviceRules : null);
        m.put("GroupAdd", spec.process().groupAdd().isEmpty() ? null : spec.process().groupAdd());
        m.put("Memory", resources.memoryBytes());
        m.put("MemorySwap", resources.memoryBytes() > 0 ? resources.swapLimit() : resources.memorySwapBytes());
        m.put("NanoCpus", resources.nanoCpus());
        m.put("CpuShares", resources.cpuShares());
        m.put("PidsLimit", resources.pidsLimit() > 0 ? resources.pidsLimit() : null);
        limits(m, resources, body.path("HostConfig"));
        // the client's own (it writes the file): shown as sent, as Docker does
        m.put("ContainerIDFile", body.path("HostConfig").path("ContainerIDFile").asText(""));
        var consoleSize = spec.process().consoleSize();
        m.put("ConsoleSize", consoleSize == null ? List.of(0, 0) : List.of(consoleSize.rows(), consoleSize.cols()));
        // every bind, mount, tmpfs and volumes-from in the request was applied (create refuses any other), so they are shown as sent
        JsonNode binds = body.path("HostConfig").path("Binds");
        m.put("Binds", binds.isArray() && !binds.isEmpty() ? binds : null);
        JsonNode mounts = body.path("HostConfig").path("Mounts");
        if (mounts.isArray() && !mounts.isEmpty()) m.put("Mounts", mounts);
        JsonNode tmpfs = body.path("HostConfig").path("Tmpfs");
        if (tmpfs.isObject() && !tmpfs.isEmpty()) m.put("Tmpfs", tmpfs);
        JsonNode volumesFrom = body.path("HostConfig").path("VolumesFrom");
        m.put("VolumesFrom", volumesFrom.isArray() && !volumesFrom.isEmpty() ? volumesFrom : null);
        m.put("LogConfig", Map.of("Type", spec.lifecycle().log().driver(), "Config", new java.util.TreeMap<>(spec.lifecycle().log().config())));
        // every network option in the request was applied (create refuses any other), so they are shown as sent
        JsonNode host = body.path("HostConfig");
        // as Docker's Go structs echo them: what was sent, null for what was not ({} and [] stay {} and [])
        m.put("PortBindings", host.path("PortBindings").isObject() ? host.get("PortBindings") : null);
        m.put("PublishAllPorts", host.path("PublishAllPorts").asBoolean(false));
        for (String list : List.of("Dns", "DnsOptions", "DnsSearch", "ExtraHosts")) {
            m.put(list, host.path(list).isArray() ? host.get(list) : null);
        }
        return m;
    }

    /** The limits as applied, in Docker's HostConfig names (a default shown as Docker shows it: ShmSize 64 MiB). */
    private static void limits(Map<String, Object> m, Resources r, JsonNode sent) {
        m.put("MemoryReservation", r.memoryReservationBytes());
        m.put("MemorySwappiness", r.memorySwappiness());
        m.put("OomKillDisable", r.oomKillDisable());
        m.put("CpuPeriod", r.cpu().period());
        m.put("CpuQuota", r.cpu().quota());
        m.put("CpuRealtimePeriod", r.cpu().realtimePeriod());
        m.put("CpuRealtimeRuntime", r.cpu().realtimeRuntime());
        m.put("CpusetCpus", r.cpu().cpusetCpus());
        m.put("CpusetMems", r.cpu().cpusetMems());
        m.put("BlkioWeight", r.blockIo().weight());
        m.put("BlkioWeightDevice", List.of());
        m.put("BlkioDeviceReadBps", ResourceLimits.throttlesJson(r.blockIo().readBps()));
        m.put("BlkioDeviceWriteBps", ResourceLimits.throttlesJson(r.blockIo().writeBps()));
        m.put("BlkioDeviceReadIOps", ResourceLimits.throttlesJson(r.blockIo().readIops()));
        m.put("BlkioDeviceWriteIOps", ResourceLimits.throttlesJson(r.blockIo().writeIops()));
        m.put("ShmSize", r.process().shmSize());
        m.put("OomScoreAdj", r.process().oomScoreAdj());
        List<Map<String, Object>> ulimits = new ArrayList<>();
        r.process().ulimits().forEach(u -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("Name", u.name());
            one.put("Hard", u.hard());
            one.put("Soft", u.soft());
            ulimits.add(one);
        });
        m.put("Ulimits", ulimits.isEmpty() && !sent.path("Ulimits").isArray() ? null : ulimits);
        // as sent, in the request's order (the spec keeps them unordered); only applied ones get this far
        if (sent.path("Sysctls").isObject() && !sent.path("Sysctls").isEmpty()) m.put("Sysctls", sent.get("Sysctls"));
    }

    static Map<String, Object> config(ContainerSpec spec) {
        JsonNode body = createBody(spec);
        ProcessSpec process = spec.process();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Hostname", spec.network().hostname());
        m.put("Domainname", "");
        m.put("User", process.user());
        m.put("AttachStdin", body.path("AttachStdin").asBoolean(false));
        m.put("AttachStdout", body.path("AttachStdout").asBoolean(false));
        m.put("AttachStderr", body.path("AttachStderr").asBoolean(false));
        if (!spec.network().exposed().isEmpty()) {
            Map<String, Object> exposed = new LinkedHashMap<>();
            spec.network().exposed().forEach(p -> exposed.put(p, Map.of()));
            m.put("ExposedPorts", exposed);
        }
        m.put("Tty", process.tty());
        m.put("OpenStdin", process.openStdin());
        m.put("StdinOnce", body.path("StdinOnce").asBoolean(false));
        m.put("Env", process.env());
        // the command as run (the image's defaults merged in); a container created before berth kept it: as sent
        JsonNode command = extra(spec, "command");
        JsonNode shown = command.isMissingNode() ? body : command;
        m.put("Cmd", shown.hasNonNull("Cmd") ? shown.get("Cmd") : null);
        m.put("Image", spec.image());
        JsonNode volumes = body.path("Volumes");
        m.put("Volumes", volumes.isObject() && !volumes.isEmpty() ? volumes : null);
        m.put("WorkingDir", process.workingDir());
        m.put("Entrypoint", shown.hasNonNull("Entrypoint") ? shown.get("Entrypoint") : null);
        m.put("OnBuild", null);
        m.put("Labels", spec.labels());
        m.put("StopSignal", process.stopSignal());
        if (process.stopTimeoutSeconds() != null) m.put("StopTimeout", process.stopTimeoutSeconds());
        String mac = body.path("MacAddress").asText("");
        if (!mac.isEmpty()) m.put("MacAddress", mac);
        if (body.path("NetworkDisabled").asBoolean(false)) m.put("NetworkDisabled", true);
        if (spec.lifecycle().healthcheck() != null) m.put("Healthcheck", HealthcheckJson.render(spec.lifecycle().healthcheck()));
        return m;
    }

    static JsonNode createBody(ContainerSpec spec) {
        return extra(spec, "createBody");
    }

    /** One of the daemon's entries in the spec's extra: as made at create, or as read back from the state file. */
    private static JsonNode extra(ContainerSpec spec, String key) {
        Object value = spec.extra() == null ? null : spec.extra().get(key);
        if (value instanceof JsonNode node) return node;
        if (value != null) return io.berth.daemon.http.ApiJson.MAPPER.valueToTree(value);
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static String commandLine(List<String> args) {
        return String.join(" ", args);
    }
}
