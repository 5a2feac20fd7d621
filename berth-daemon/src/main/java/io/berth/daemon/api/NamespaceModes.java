package io.berth.daemon.api;

import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.NamespacesSpec;
import io.berth.runtime.NetworkSpec;

/**
 * A create body's namespace modes (HostConfig PidMode, IpcMode, UTSMode, UsernsMode, CgroupnsMode) with Docker's
 * checks and messages. {@code container:X} is resolved to X's full id here, a 400 {@code No such container: X}
 * when there is none (as NetworkMode's: the docker CLI would answer a 404 from create with a pull); whether X runs
 * is checked at each start, as Docker does. berth has no user namespaces (no remapping), so UsernsMode "host"
 * states what it does and any other value is refused by name.
 */
final class NamespaceModes {
    private NamespaceModes() {}

    /**
     * @param containerIds a container's full id from its name or id; throws NotFoundException "No such container: X"
     * @param cgroupV2 whether the host has the unified hierarchy: Docker's default cgroup namespace is private there,
     *                 the host's on v1 (and for a privileged container on v1)
     */
    static NamespacesSpec parse(JsonNode body, UnaryOperator<String> containerIds, boolean cgroupV2) {
        JsonNode host = body.path("HostConfig");
        String pid = text(host, "PidMode");
        if (!pid.isEmpty() && !pid.equals(NamespacesSpec.HOST)) {
            pid = joined(pid, containerIds, "invalid PID mode: ");
        }
        String ipc = text(host, "IpcMode");
        switch (ipc) {
            case "" -> ipc = NamespacesSpec.PRIVATE; // the daemon's default, which inspect shows (Docker's)
            case NamespacesSpec.PRIVATE, NamespacesSpec.SHAREABLE, NamespacesSpec.NONE, NamespacesSpec.HOST -> { }
            default -> ipc = joined(ipc, containerIds, "invalid IPC mode: ");
        }
        String uts = text(host, "UTSMode");
        if (!uts.isEmpty() && !uts.equals(NamespacesSpec.HOST)) throw new InvalidArgumentException("invalid UTS mode: " + uts);
        if (uts.equals(NamespacesSpec.HOST) && !text(body, "Hostname").isEmpty()) {
            throw new InvalidArgumentException("conflicting options: hostname and the UTS mode");
        }
        String userns = text(host, "UsernsMode");
        if (!userns.isEmpty() && !userns.equals(NamespacesSpec.HOST)) {
            throw new InvalidArgumentException("berth does not support HostConfig.UsernsMode=" + userns + " yet");
        }
        String cgroup = text(host, "CgroupnsMode");
        switch (cgroup) {
            case "" -> cgroup = cgroupV2 ? NamespacesSpec.PRIVATE : NamespacesSpec.HOST;
            case NamespacesSpec.PRIVATE, NamespacesSpec.HOST -> { }
            default -> throw new InvalidArgumentException("invalid cgroup namespace mode: " + cgroup);
        }
        return new NamespacesSpec(pid, ipc, uts, cgroup);
    }

    /** "container:X" with X resolved to its full id; anything else is {@code invalid} and the mode. */
    private static String joined(String mode, UnaryOperator<String> containerIds, String invalid) {
        String target = mode.startsWith(NetworkSpec.CONTAINER_PREFIX) ? mode.substring(NetworkSpec.CONTAINER_PREFIX.length()) : "";
        if (target.isEmpty()) throw new InvalidArgumentException(invalid + mode);
        try {
            return NetworkSpec.CONTAINER_PREFIX + containerIds.apply(target);
        } catch (NotFoundException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
