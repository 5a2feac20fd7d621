package io.berth.daemon.volumes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.berth.oci.errors.InvalidArgumentException;

/**
 * The local driver's options (`volume create -o`) that berth applies:
 * <ul>
 * <li>none: the volume is its _data directory;</li>
 * <li>{@code type=none,o=bind,device=/host/path}: the volume is that host directory, bound wherever the volume is
 * mounted (Docker's local driver binds the device onto _data; berth binds it straight in, the same files);</li>
 * <li>{@code type=tmpfs[,device=tmpfs][,o=size=..,mode=..,uid=..,gid=..,nr_inodes=..]}: a tmpfs is mounted on _data
 * while at least one running container uses the volume, as Docker's local driver does; its content goes with the
 * last user's stop.</li>
 * </ul>
 * Every other combination (block devices, nfs, mount flags, Docker's xfs quota {@code size}) is refused by name,
 * never stored and ignored.
 *
 * @param device the bound host directory, or null
 * @param tmpfs the kernel options of a tmpfs volume ({@code size=64m}...), or null for a volume that is no tmpfs
 */
public record LocalOptions(Path device, List<String> tmpfs) {
    public static final LocalOptions PLAIN = new LocalOptions(null, null);
    private static final Set<String> TMPFS_KEYS = Set.of("type", "device", "o");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+[kKmMgG]?");
    private static final Pattern SIZE = Pattern.compile("[0-9]+[kKmMgG%]?");
    private static final Pattern OCTAL = Pattern.compile("[0-7]{1,4}");
    private static final Pattern ID = Pattern.compile("[0-9]{1,10}");

    public static LocalOptions parse(Map<String, String> options) {
        if (options == null || options.isEmpty()) return PLAIN;
        Map<String, String> o = new TreeMap<>(options);
        if ("tmpfs".equals(o.get("type"))) return tmpfs(o);
        boolean bind = o.size() == 3 && "none".equals(o.get("type")) && ("bind".equals(o.get("o")) || "rbind".equals(o.get("o")))
                && o.containsKey("device");
        if (!bind) {
            String named = o.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            throw new InvalidArgumentException("berth does not support volume options " + named
                    + " yet (only type=none,o=bind,device=/absolute/path and type=tmpfs,device=tmpfs,o=size=..,mode=..,uid=..,gid=..,nr_inodes=..)");
        }
        String device = o.get("device");
        if (!device.startsWith("/") || device.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("invalid option: device \"" + device.replace("\0", "\\0") + "\" must be an absolute path");
        }
        return new LocalOptions(Path.of(device).normalize(), null);
    }

    private static LocalOptions tmpfs(Map<String, String> o) {
        for (String key : o.keySet()) {
            if (!TMPFS_KEYS.contains(key)) {
                throw new InvalidArgumentException("berth does not support volume option \"" + key + "\" on a tmpfs volume (only type, device, o)");
            }
        }
        String device = o.getOrDefault("device", "tmpfs");
        if (!device.equals("tmpfs")) {
            // Docker passes it as the mount's source name; berth always mounts "tmpfs" and will not pretend otherwise
            throw new InvalidArgumentException("berth does not support device \"" + printable(device) + "\" on a tmpfs volume (only device=tmpfs)");
        }
        List<String> kernel = new ArrayList<>();
        String mountOptions = o.getOrDefault("o", "");
        if (!mountOptions.isEmpty()) {
            for (String option : mountOptions.split(",", -1)) {
                if (!tmpfsOption(option)) {
                    throw new InvalidArgumentException("berth does not support tmpfs volume option \"" + printable(option)
                            + "\" (only size, mode, uid, gid, nr_inodes)");
                }
                kernel.add(option);
            }
        }
        return new LocalOptions(null, List.copyOf(kernel));
    }

    private static boolean tmpfsOption(String option) {
        int eq = option.indexOf('=');
        if (eq < 0) return false;
        String value = option.substring(eq + 1);
        return switch (option.substring(0, eq)) {
            case "size" -> SIZE.matcher(value).matches();
            case "nr_inodes" -> NUMBER.matcher(value).matches();
            case "mode" -> OCTAL.matcher(value).matches();
            case "uid", "gid" -> ID.matcher(value).matches();
            default -> false;
        };
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }

    public boolean isTmpfs() {
        return tmpfs != null;
    }

    /** Where a container's mount of volume data comes from: the device, or the volume's own _data. */
    public Path source(Path data) {
        return device == null ? data : device;
    }
}
