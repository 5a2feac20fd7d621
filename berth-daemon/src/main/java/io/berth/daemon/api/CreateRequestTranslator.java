package io.berth.daemon.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.LogSettings;
import io.berth.runtime.ProcessSpec;
import io.berth.runtime.RestartPolicy;
import io.berth.runtime.RootfsLayers;

/**
 * Turns a Docker `POST /containers/create` body plus the image's defaults into berth's ContainerSpec,
 * with Docker's precedence rules: an explicit Entrypoint drops the image's Cmd, Env merges by key,
 * labels merge, everything else falls back to the image.
 */
public final class CreateRequestTranslator {
    private final SecurityOptions.HostLsm lsm;
    private final ResourceLimits limits;
    private final ContainerVolumes volumes;
    private final ContainerNetworkRequests networks;
    private final LogSettings defaultLog;
    private final java.util.function.UnaryOperator<String> containerIds;
    /** Docker's default cgroup namespace follows the host's hierarchy: private on v2, the host's on v1. */
    private final boolean cgroupV2 = HostProbe.system().cgroupV2();

    /** A translated request and the warnings Docker returns with the created container's id. */
    public record Translated(ContainerSpec spec, List<String> warnings) {}

    /** Security options are checked against the host's LSMs, resource limits against its CPUs, as Docker's daemon does. */
    public CreateRequestTranslator() {
        this(SecurityOptions.HostLsm.detect(), Runtime.getRuntime().availableProcessors());
    }

    CreateRequestTranslator(SecurityOptions.HostLsm lsm) {
        this(lsm, Runtime.getRuntime().availableProcessors());
    }

    CreateRequestTranslator(int hostCpus) {
        this(SecurityOptions.HostLsm.detect(), hostCpus);
    }

    CreateRequestTranslator(SecurityOptions.HostLsm lsm, int hostCpus) {
        this(lsm, hostCpus, ContainerVolumes.NONE);
    }

    /** @param volumes provides the named and anonymous volumes a request mounts */
    public CreateRequestTranslator(ContainerVolumes volumes) {
        this(SecurityOptions.HostLsm.detect(), Runtime.getRuntime().availableProcessors(), volumes);
    }

    CreateRequestTranslator(SecurityOptions.HostLsm lsm, int hostCpus, ContainerVolumes volumes) {
        this(lsm, hostCpus, volumes, NetworkResolver.PREDEFINED, c -> {
            throw new io.berth.oci.errors.NotFoundException("No such container: " + c);
        });
    }

    /**
     * @param networks finds the networks a request names
     * @param containerIds a container's full id from its name or id (NetworkMode container:X); throws
     *                     NotFoundException "No such container: X"
     */
    public CreateRequestTranslator(ContainerVolumes volumes, NetworkResolver networks, java.util.function.UnaryOperator<String> containerIds) {
        this(volumes, networks, containerIds, LogSettings.JSON_FILE);
    }

    /** @param defaultLog the daemon's log driver and options (daemon.json), for requests that name no driver */
    public CreateRequestTranslator(ContainerVolumes volumes, NetworkResolver networks, java.util.function.UnaryOperator<String> containerIds,
                                   LogSettings defaultLog) {
        this(SecurityOptions.HostLsm.detect(), ResourceHost.detect(Runtime.getRuntime().availableProcessors()), volumes, networks,
                containerIds, defaultLog);
    }

    CreateRequestTranslator(SecurityOptions.HostLsm lsm, int hostCpus, ContainerVolumes volumes, NetworkResolver networks,
                            java.util.function.UnaryOperator<String> containerIds) {
        this(lsm, ResourceHost.detect(hostCpus), volumes, networks, containerIds, LogSettings.JSON_FILE);
    }

    CreateRequestTranslator(SecurityOptions.HostLsm lsm, ResourceHost resources, ContainerVolumes volumes,
                            NetworkResolver networks, java.util.function.UnaryOperator<String> containerIds) {
        this(lsm, resources, volumes, networks, containerIds, LogSettings.JSON_FILE);
    }

    /**
     * @param resources  the host's CPUs, cpusets, cgroup features and rlimit ceilings limits are checked against
     * @param defaultLog the daemon's log driver and options (daemon.json), what a request without LogConfig gets
     */
    CreateRequestTranslator(SecurityOptions.HostLsm lsm, ResourceHost resources, ContainerVolumes volumes,
                            NetworkResolver networks, java.util.function.UnaryOperator<String> containerIds,
                            LogSettings defaultLog) {
        this.defaultLog = defaultLog;
        this.lsm = lsm;
        this.limits = new ResourceLimits(resources);
        this.volumes = volumes;
        this.networks = new ContainerNetworkRequests(networks, containerIds, HostName::current);
        this.containerIds = containerIds;
    }

    public ContainerSpec translate(String id, String name, JsonNode body, ImageDefaults image, List<Path> lowerDirs) {
        return translate(id, name, body, image, lowerDirs, null).spec();
    }

    /** @param apiVersion the request's Engine API version ("1.43"); rules that changed between versions follow it */
    public Translated translate(String id, String name, JsonNode body, ImageDefaults image, List<Path> lowerDirs, String apiVersion) {
        JsonNode host = body.path("HostConfig");
        UnsupportedFields.refuse(body);
        Command command = command(body, image.entrypoint(), image.cmd());
        List<String> args = new ArrayList<>(command.entrypoint());
        args.addAll(command.cmd());
        if (args.isEmpty()) throw new InvalidArgumentException("no command specified");

        RestartPolicy restart = restartPolicy(host.path("RestartPolicy"));
        boolean autoRemove = host.path("AutoRemove").asBoolean(false);
        if (autoRemove && !restart.name().isEmpty() && !restart.name().equals("no")) {
            throw new InvalidArgumentException("Conflicting options: AutoRemove and restart policy");
        }
        Map<String, String> labels = new LinkedHashMap<>(image.labels());
        body.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));

        String stopSignal = text(body, "StopSignal", image.stopSignal());
        Integer stopTimeout = body.hasNonNull("StopTimeout") ? body.get("StopTimeout").asInt() : null;
        ContainerNetworkRequests.Result network = networks.parse(id, body, image.exposedPorts(), apiVersion);
        io.berth.runtime.NetworkSpec networkSpec = network.spec().withLinks(LinkRequests.resolve(host.path("Links"),
                body.path("NetworkingConfig").path("EndpointsConfig"), network.spec(), containerIds));
        String workingDir = text(body, "WorkingDir", image.workingDir());
        if (!workingDir.isEmpty() && !workingDir.startsWith("/")) {
            throw new InvalidArgumentException("the working directory '" + workingDir + "' is invalid, it needs to be an absolute path");
        }
        SecurityOptions security = SecurityOptions.parse(strings(host.path("SecurityOpt")), lsm);
        io.berth.runtime.NamespacesSpec namespaces = NamespaceModes.parse(body, containerIds, cgroupV2);
        String runtime = host.hasNonNull("Runtime") && !host.get("Runtime").asText().isEmpty() ? host.get("Runtime").asText() : null;
        if (runtime != null && !runtime.equals("crun") && !runtime.equals("runc")) {
            throw new InvalidArgumentException("unknown or invalid runtime name: " + runtime);
        }

        LogSettings log = logSettings(host.path("LogConfig"), defaultLog);
        ResourceLimits.Checked resources = limits.check(host, false);
        io.berth.runtime.health.HealthConfig requestedCheck = HealthcheckJson.parse(body.get("Healthcheck"));
        if (requestedCheck != null) requestedCheck.validate();
        io.berth.runtime.health.HealthConfig healthcheck = io.berth.runtime.health.HealthConfig.merge(requestedCheck, image.healthcheck());

        // last: the volumes it provides are made only for a request that passed every other check
        // the image's VOLUME paths join the request's Config.Volumes (Docker's merge: a set of paths)
        var anonymous = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        image.volumes().forEach(v -> anonymous.putObject(v));
        body.path("Volumes").properties().forEach(e -> anonymous.putObject(e.getKey()));
        var mounts = MountRequests.parse(host, anonymous, volumes);
        ContainerSpec spec = ContainerSpec.builder(id).name(name).image(body.path("Image").asText()).imageId(image.imageId())
                .args(args)
                .env(createEnv(image.env(), strings(body.path("Env"))))
                .workingDir(workingDir.isEmpty() ? "/" : workingDir)
                .user(text(body, "User", image.user()))
                .network(networkSpec)
                .tty(body.path("Tty").asBoolean(false))
                .openStdin(body.path("OpenStdin").asBoolean(false))
                .keepStdinOpen(body.path("OpenStdin").asBoolean(false) && !body.path("StdinOnce").asBoolean(false))
                .consoleSize(consoleSize(host.path("ConsoleSize")))
                .init(host.path("Init").asBoolean(false))
                .readOnlyRootfs(host.path("ReadonlyRootfs").asBoolean(false))
                .privileged(host.path("Privileged").asBoolean(false))
                .capAdd(strings(host.path("CapAdd"))).capDrop(strings(host.path("CapDrop")))
                .noNewPrivileges(security.noNewPrivileges()).seccomp(security.seccomp())
                .devices(DeviceMappings.devices(host)).deviceCgroupRules(DeviceMappings.cgroupRules(host))
                .namespaces(namespaces).groupAdd(strings(host.path("GroupAdd")))
                .stopSignal(stopSignal == null || stopSignal.isEmpty() ? "SIGTERM" : stopSignal)
                .stopTimeoutSeconds(stopTimeout)
                .resources(resources.resources())
                .mounts(mounts)
                .restartPolicy(restart).autoRemove(autoRemove).runtime(runtime)
                .healthcheck(healthcheck).shell(image.shell()).log(log)
                .labels(labels)
                .rootfs(new RootfsLayers(lowerDirs)).created(Instant.now())
                .extra(Map.of("createBody", body, "command", command.asConfig()))
                .build();
        List<String> warnings = new ArrayList<>(network.warnings());
        warnings.addAll(resources.warnings());
        return new Translated(spec, List.copyOf(warnings));
    }

    /** The entrypoint and command a container runs with. */
    record Command(List<String> entrypoint, List<String> cmd) {
        /**
         * As inspect's Config shows them: Docker keeps the image's defaults merged in (docker-compose 1.29's ps
         * prints Config.Entrypoint + Config.Cmd as the command), an empty one as null.
         */
        Map<String, List<String>> asConfig() {
            Map<String, List<String>> m = new java.util.HashMap<>();
            m.put("Entrypoint", entrypoint.isEmpty() ? null : entrypoint);
            m.put("Cmd", cmd.isEmpty() ? null : cmd);
            return m;
        }
    }

    /** Docker's precedence: an explicit Entrypoint drops the image's Cmd; `--entrypoint ""` means none. */
    static Command command(JsonNode body, List<String> imageEntrypoint, List<String> imageCmd) {
        List<String> userEntrypoint = body.hasNonNull("Entrypoint") ? strings(body.get("Entrypoint")) : null;
        List<String> userCmd = body.hasNonNull("Cmd") ? strings(body.get("Cmd")) : null;
        List<String> entrypoint;
        List<String> cmd;
        if (userEntrypoint == null || userEntrypoint.isEmpty()) {
            cmd = userCmd == null || userCmd.isEmpty() ? imageCmd : userCmd;
            entrypoint = userEntrypoint == null ? imageEntrypoint : List.of();
        } else {
            entrypoint = userEntrypoint;
            cmd = userCmd == null ? List.of() : userCmd;
        }
        // `--entrypoint ""` arrives as [""]: it means "no entrypoint".
        if (entrypoint.size() == 1 && entrypoint.getFirst().isEmpty()) entrypoint = List.of();
        return new Command(entrypoint == null ? List.of() : entrypoint, cmd == null ? List.of() : cmd);
    }

    /** HostConfig.LogConfig {"Type": driver, "Config": {opt: value}} over the daemon's default, as Docker merges them. */
    static LogSettings logSettings(JsonNode logConfig, LogSettings daemonDefault) {
        if (!logConfig.isMissingNode() && !logConfig.isNull() && !logConfig.isObject()) {
            throw new InvalidArgumentException("LogConfig must be an object");
        }
        logConfig.properties().forEach(f -> {
            if (!f.getKey().equals("Type") && !f.getKey().equals("Config")) UnsupportedFields.refuseUnlessEmpty("HostConfig.LogConfig." + f.getKey(), f.getValue());
        });
        Map<String, String> options = new LinkedHashMap<>();
        JsonNode config = logConfig.path("Config");
        if (!config.isMissingNode() && !config.isNull() && !config.isObject()) throw new InvalidArgumentException("LogConfig.Config must be an object");
        config.properties().forEach(f -> {
            if (!f.getValue().isTextual()) throw new InvalidArgumentException("log opt '" + f.getKey() + "' must be a string");
            options.put(f.getKey(), f.getValue().asText());
        });
        return LogSettings.resolve(logConfig.path("Type").asText(""), options, daemonDefault);
    }

    static RestartPolicy restartPolicy(JsonNode node) {
        String name = node.path("Name").asText("");
        int max = node.path("MaximumRetryCount").asInt(0);
        switch (name) {
            case "", "no", "always", "unless-stopped" -> {
                if (max != 0) throw new InvalidArgumentException("invalid restart policy: maximum retry count can only be used with 'on-failure'");
            }
            case "on-failure" -> {
                if (max < 0) throw new InvalidArgumentException("invalid restart policy: maximum retry count cannot be negative");
            }
            default -> throw new InvalidArgumentException("invalid restart policy: unknown policy '" + name
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        return new RestartPolicy(name, max);
    }

    /**
     * A container's Config.Env as Docker's create merges it: the request's entries as sent (a name without "=", which
     * the docker CLI sends for a variable its own environment lacks, included), then the image's entries whose names
     * the request does not use. An entry without "=" so hides the image's value; at the start it unsets a default
     * too (OciConfig's process environment).
     */
    static List<String> createEnv(List<String> imageEnv, List<String> requestEnv) {
        if (requestEnv.isEmpty()) return List.copyOf(imageEnv);
        java.util.Set<String> names = new java.util.HashSet<>();
        List<String> out = new ArrayList<>();
        for (String e : requestEnv) {
            if (e.isEmpty() || e.startsWith("=")) throw new InvalidArgumentException("invalid environment variable: " + e);
            names.add(key(e));
            out.add(e);
        }
        for (String e : imageEnv) {
            if (!names.contains(key(e))) out.add(e);
        }
        return List.copyOf(out);
    }

    /** ENV instructions over a config's env (commit --change): merged by name, a later value wins. */
    static List<String> mergeEnv(List<String> imageEnv, List<String> requestEnv) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (String e : imageEnv) merged.put(key(e), e);
        for (String e : requestEnv) {
            if (e.isEmpty() || e.startsWith("=")) throw new InvalidArgumentException("invalid environment variable: " + e);
            if (e.contains("=")) merged.put(key(e), e);
        }
        return List.copyOf(merged.values());
    }

    private static String key(String env) {
        int eq = env.indexOf('=');
        return eq < 0 ? env : env.substring(0, eq);
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? (fallback == null ? "" : fallback) : v.asText();
    }

    /** Docker accepts a string or a list for Cmd/Entrypoint; a string is one argument for the shell-less form. */
    static List<String> strings(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return List.of();
        if (node.isTextual()) return List.of(node.asText());
        if (!node.isArray()) throw new InvalidArgumentException("expected a list of strings, got " + node.getNodeType());
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * HostConfig.ConsoleSize, [height, width] of the client's terminal (the docker CLI sends it with {@code run -t}
     * from API 1.42); [0, 0] or absent: none. Docker takes unsigned numbers, so anything else is refused.
     */
    static ProcessSpec.ConsoleSize consoleSize(JsonNode size) {
        if (size.isMissingNode() || size.isNull()) return null;
        if (!size.isArray() || size.size() != 2 || !isDimension(size.get(0)) || !isDimension(size.get(1))) {
            throw new InvalidArgumentException("invalid HostConfig.ConsoleSize " + size + ": two numbers from 0 to 65535, height and width");
        }
        int rows = size.get(0).asInt();
        int cols = size.get(1).asInt();
        return rows == 0 || cols == 0 ? null : new ProcessSpec.ConsoleSize(rows, cols);
    }

    private static boolean isDimension(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 0 && n.asInt() <= 65535;
    }
}
