package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One `--mount type=..,source=..,target=..,...` flag → a HostConfig.Mounts entry, with the docker CLI's keys and
 * aliases. Every key is sent as asked; the daemon refuses what berth does not mount (volumes, for now) by name.
 */
final class MountOption {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MountOption() {}

    static ObjectNode parse(String spec) {
        ObjectNode m = NODES.objectNode();
        m.put("Type", "volume");
        ObjectNode bind = NODES.objectNode();
        ObjectNode volume = NODES.objectNode();
        ObjectNode tmpfs = NODES.objectNode();
        for (String field : spec.split(",")) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
            String value = eq < 0 ? null : field.substring(eq + 1);
            if (value == null && !key.equals("readonly") && !key.equals("ro") && !key.equals("volume-nocopy")
                    && !key.equals("bind-nonrecursive")) {
                throw new IllegalArgumentException("invalid field '" + field + "' must be a key=value pair");
            }
            switch (key) {
                case "type" -> m.put("Type", value);
                case "source", "src" -> m.put("Source", value);
                case "target", "dst", "destination" -> m.put("Target", value);
                case "readonly", "ro" -> m.put("ReadOnly", bool(field, value));
                case "consistency" -> m.put("Consistency", value);
                case "bind-propagation" -> bind.put("Propagation", value);
                case "bind-nonrecursive" -> bind.put("NonRecursive", bool(field, value));
                case "volume-nocopy" -> volume.put("NoCopy", bool(field, value));
                case "volume-label" -> {
                    int e = value.indexOf('=');
                    ((ObjectNode) volume.with("Labels")).put(e < 0 ? value : value.substring(0, e), e < 0 ? "" : value.substring(e + 1));
                }
                case "volume-driver" -> ((ObjectNode) volume.with("DriverConfig")).put("Name", value);
                case "volume-opt" -> {
                    int e = value.indexOf('=');
                    ((ObjectNode) volume.with("DriverConfig").with("Options"))
                            .put(e < 0 ? value : value.substring(0, e), e < 0 ? "" : value.substring(e + 1));
                }
                case "tmpfs-size" -> tmpfs.put("SizeBytes", MemorySize.parse(value));
                case "tmpfs-mode" -> {
                    try {
                        tmpfs.put("Mode", Long.parseLong(value, 8));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("invalid value for " + key + ": " + value);
                    }
                }
                default -> throw new IllegalArgumentException("unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (!bind.isEmpty()) m.set("BindOptions", bind);
        if (!volume.isEmpty()) m.set("VolumeOptions", volume);
        if (!tmpfs.isEmpty()) m.set("TmpfsOptions", tmpfs);
        return m;
    }

    private static boolean bool(String field, String value) {
        if (value == null) return true;
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new IllegalArgumentException("invalid value for '" + field + "'");
        };
    }
}
