package io.berth.daemon.volumes;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * The local driver's options (`volume create -o`) that berth applies: none (the volume is its _data directory), or
 * {@code type=none,o=bind,device=/host/path}, where the volume is that host directory, bound wherever the volume is
 * mounted (Docker's local driver binds the device onto _data; berth binds it straight in, the same files).
 * Every other combination (tmpfs, block devices, nfs, other mount options) is refused by name, never stored and
 * ignored.
 *
 * @param device the bound host directory, or null for a plain volume
 */
public record LocalOptions(Path device) {
    public static final LocalOptions PLAIN = new LocalOptions(null);

    public static LocalOptions parse(Map<String, String> options) {
        if (options == null || options.isEmpty()) return PLAIN;
        Map<String, String> o = new TreeMap<>(options);
        boolean bind = o.size() == 3 && "none".equals(o.get("type")) && ("bind".equals(o.get("o")) || "rbind".equals(o.get("o")))
                && o.containsKey("device");
        if (!bind) {
            String named = o.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            throw new InvalidArgumentException("berth does not support volume options " + named
                    + " yet (only type=none,o=bind,device=/absolute/path)");
        }
        String device = o.get("device");
        if (!device.startsWith("/") || device.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("invalid option: device \"" + device.replace("\0", "\\0") + "\" must be an absolute path");
        }
        return new LocalOptions(Path.of(device).normalize());
    }

    /** Where a container's mount of volume data comes from: the device, or the volume's own _data. */
    public Path source(Path data) {
        return device == null ? data : device;
    }
}
