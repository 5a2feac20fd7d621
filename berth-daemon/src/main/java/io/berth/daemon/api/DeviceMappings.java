package io.berth.daemon.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.DeviceCgroupRule;
import io.berth.runtime.DeviceMapping;

/**
 * HostConfig.Devices ({@code [{"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse", "CgroupPermissions":
 * "rwm"}]}) and DeviceCgroupRules ({@code ["c 1:3 rwm"]}), checked at create with the docker CLI's and daemon's
 * messages. Whether a host device exists is a fact of each start (Docker's), checked there.
 */
final class DeviceMappings {
    private DeviceMappings() {}

    static List<DeviceMapping> devices(JsonNode host) {
        List<DeviceMapping> out = new ArrayList<>();
        for (JsonNode d : host.path("Devices")) {
            String onHost = d.path("PathOnHost").asText("");
            String inContainer = d.path("PathInContainer").asText("");
            String permissions = d.path("CgroupPermissions").asText("");
            if (onHost.isEmpty()) throw new InvalidArgumentException("bad format for path: " + onHost);
            DeviceMapping m = new DeviceMapping(onHost, inContainer, permissions);
            if (!m.pathInContainer().startsWith("/") || hasDotDot(m.pathInContainer())) {
                throw new InvalidArgumentException(m.pathInContainer() + " is not an absolute path");
            }
            if (!validMode(m.cgroupPermissions())) throw new InvalidArgumentException("bad mode specified: " + m.cgroupPermissions());
            out.add(m);
        }
        return out;
    }

    /** Each rule as the kernel reads it; Docker's message for one that is not. */
    static List<String> cgroupRules(JsonNode host) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : host.path("DeviceCgroupRules")) {
            DeviceCgroupRule.parse(r.asText());
            out.add(r.asText());
        }
        return out;
    }

    /** r, w and m, each at most once (the docker CLI's rule). */
    static boolean validMode(String mode) {
        if (mode.isEmpty() || mode.length() > 3) return false;
        for (int i = 0; i < mode.length(); i++) {
            char c = mode.charAt(i);
            if ("rwm".indexOf(c) < 0 || mode.indexOf(c) != i) return false;
        }
        return true;
    }

    /** A ".." component would leave /dev for wherever it leads; the runtime must never be asked to make a node there. */
    private static boolean hasDotDot(String path) {
        for (String part : path.split("/")) {
            if (part.equals("..")) return true;
        }
        return false;
    }
}
