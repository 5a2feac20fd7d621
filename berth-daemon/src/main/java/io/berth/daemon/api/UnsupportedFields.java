package io.berth.daemon.api;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * The house rule for a create body: a field berth does not implement is refused with a 400 naming it, never
 * accepted and ignored (a bind mount dropped silently loses a user's data with the container). A field is
 * either implemented (read and applied by {@link CreateRequestTranslator}, whose own checks give Docker's
 * messages), or it must be absent or empty (null, false, 0, "", [], {}, or an object of such: what clients
 * send when the option was not given), or hold the one value that says what berth does anyway (Isolation
 * "default"). The network fields are read by {@link ContainerNetworkRequests}. docs/create-fields.md lists them.
 */
final class UnsupportedFields {
    /** Config fields berth applies; StdinOnce and the Attach flags shape the client's attach, not the container. */
    static final Set<String> CONFIG = Set.of("Hostname", "User", "AttachStdin", "AttachStdout", "AttachStderr", "Tty",
            "OpenStdin", "StdinOnce", "Env", "Cmd", "Image", "WorkingDir", "Entrypoint", "Labels", "StopSignal",
            "StopTimeout", "HostConfig", "NetworkingConfig", "Volumes", "ExposedPorts", "MacAddress", "NetworkDisabled",
            "Healthcheck");
    /**
     * HostConfig fields berth applies, or checks itself (ResourceLimits refuses the limits it does not apply
     * with Docker's range messages first). ContainerIDFile is written by the client; ConsoleSize is the
     * pty's size when the process starts (the client resizes it again once attached). Binds, Mounts, Tmpfs and VolumesFrom are read by
     * MountRequests, which refuses the kinds berth does not mount yet by name.
     */
    static final Set<String> HOST_CONFIG = Set.of("RestartPolicy", "AutoRemove", "CapAdd", "CapDrop", "Init",
            "ReadonlyRootfs", "Privileged", "SecurityOpt", "Runtime", "Memory", "MemorySwap", "NanoCpus", "CpuShares",
            "CpuQuota", "CpuPeriod", "PidsLimit", "MemorySwappiness", "MemoryReservation", "KernelMemory",
            "CpuRealtimePeriod", "CpuRealtimeRuntime", "BlkioWeight", "OomScoreAdj", "OomKillDisable", "CpusetCpus",
            "CpusetMems", "ShmSize", "Ulimits", "ContainerIDFile", "ConsoleSize", "Binds", "Mounts", "Tmpfs", "VolumesFrom",
            "NetworkMode", "PortBindings", "PublishAllPorts", "Dns", "DnsSearch", "DnsOptions", "ExtraHosts",
            "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps", "Sysctls",
            "IOMaximumBandwidth", "IOMaximumIOps", "LogConfig",
            "PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode", "Devices", "DeviceCgroupRules", "GroupAdd", "Links");
    /** Values that state what berth does anyway: Linux containers. */
    private static final Map<String, Set<String>> WHAT_BERTH_DOES = Map.of(
            "Isolation", Set.of("default"));

    private UnsupportedFields() {}

    static void refuse(JsonNode body) {
        body.properties().forEach(field -> {
            if (!CONFIG.contains(field.getKey())) {
                refuseUnlessEmpty("Config." + field.getKey(), field.getValue());
            }
        });
        body.path("HostConfig").properties().forEach(field -> {
            if (HOST_CONFIG.contains(field.getKey())) return;
            Set<String> anyway = WHAT_BERTH_DOES.get(field.getKey());
            if (anyway != null && field.getValue().isTextual() && anyway.contains(field.getValue().asText())) return;
            refuseUnlessEmpty("HostConfig." + field.getKey(), field.getValue());
        });
        // EndpointsConfig: ContainerNetworkRequests reads each endpoint and refuses the settings it does not apply by name
        body.path("NetworkingConfig").properties().forEach(field -> {
            if (!field.getKey().equals("EndpointsConfig")) refuseUnlessEmpty("NetworkingConfig." + field.getKey(), field.getValue());
        });
    }

    static void refuseUnlessEmpty(String path, JsonNode value) {
        if (isEmpty(value)) return;
        String shown = value.isValueNode() ? "=" + value.asText() : "";
        throw new InvalidArgumentException("berth does not support " + path + shown + " yet");
    }

    /**
     * What a client sends for an option it was not given. An object is a Go struct (LogConfig, an endpoint's
     * settings: capitalised field names) that is empty when all its fields are, or a map (Volumes, Tmpfs,
     * ExposedPorts, Sysctls: keyed by paths, ports, names) that is empty only without keys, since
     * {@code "Volumes": {"/data": {}}} asks for a volume.
     */
    static boolean isEmpty(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return true;
        if (v.isBoolean()) return !v.asBoolean();
        if (v.isNumber()) return v.asDouble() == 0;
        if (v.isTextual()) return v.asText().isEmpty();
        if (v.isArray()) {
            for (JsonNode child : v) {
                if (!isEmpty(child)) return false;
            }
            return true;
        }
        if (v.isObject()) {
            for (var field : v.properties()) {
                boolean structField = !field.getKey().isEmpty() && Character.isUpperCase(field.getKey().charAt(0));
                if (!structField || !isEmpty(field.getValue())) return false;
            }
            return true;
        }
        return false;
    }
}
