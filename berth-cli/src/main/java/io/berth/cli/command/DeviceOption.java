package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One {@code --device HOST[:CONTAINER][:PERMISSIONS]} flag → a HostConfig.Devices entry, as the docker CLI reads it:
 * a second part made only of r, w and m is the permissions, the container path defaults to the host's, the
 * permissions to rwm.
 */
final class DeviceOption {
    private DeviceOption() {}

    static ObjectNode parse(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length > 3 || parts[0].isEmpty()) throw new IllegalArgumentException("invalid device specification: " + spec);
        String onHost = parts[0];
        String inContainer = onHost;
        String permissions = "rwm";
        if (parts.length == 2) {
            if (validMode(parts[1])) permissions = parts[1];
            else inContainer = parts[1];
        } else if (parts.length == 3) {
            inContainer = parts[1];
            permissions = parts[2];
            if (!validMode(permissions)) throw new IllegalArgumentException("bad mode specified: " + permissions);
        }
        if (!inContainer.startsWith("/")) throw new IllegalArgumentException(inContainer + " is not an absolute path");
        return JsonNodeFactory.instance.objectNode().put("PathOnHost", onHost).put("PathInContainer", inContainer)
                .put("CgroupPermissions", permissions);
    }

    /** r, w and m, each at most once. */
    private static boolean validMode(String mode) {
        if (mode.isEmpty() || mode.length() > 3) return false;
        for (int i = 0; i < mode.length(); i++) {
            if ("rwm".indexOf(mode.charAt(i)) < 0 || mode.indexOf(mode.charAt(i)) != i) return false;
        }
        return true;
    }
}
