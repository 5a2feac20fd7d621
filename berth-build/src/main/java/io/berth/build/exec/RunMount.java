package io.berth.build.exec;

import io.berth.oci.errors.InvalidArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code RUN --mount=...} flag, with BuildKit's keys and defaults. A bind is read-only unless {@code rw}; a cache
 * is read-write, keyed by {@code id} (the target when absent), created with {@code mode}/{@code uid}/{@code gid};
 * a tmpfs takes {@code size}. {@code secret} and {@code ssh} mounts and every key a type does not take are refused
 * by name, never skipped.
 *
 * @param type     what is mounted
 * @param target   absolute path in the RUN container (a relative one is taken from the working directory)
 * @param source   a bind's path in its context or stage ("/" when absent)
 * @param from     a bind's stage or image; empty for the build context
 * @param id       a cache's id
 * @param sharing  how a cache is shared between concurrent RUNs
 * @param mode     a new cache directory's mode
 * @param uid      a new cache directory's owner
 * @param gid      a new cache directory's group
 * @param readOnly mounted read-only
 * @param size     a tmpfs's size as the kernel takes it ("64m"), empty for no limit
 */
record RunMount(Type type, String target, String source, String from, String id, Sharing sharing, int mode, int uid,
                int gid, boolean readOnly, String size) {
    enum Type { BIND, CACHE, TMPFS }

    enum Sharing { SHARED, PRIVATE, LOCKED }

    private static final Set<String> BIND_KEYS = Set.of("type", "target", "source", "from", "readonly", "readwrite");
    private static final Set<String> CACHE_KEYS = Set.of("type", "target", "id", "sharing", "mode", "uid", "gid", "readonly", "readwrite");
    private static final Set<String> TMPFS_KEYS = Set.of("type", "target", "size");
    private static final Pattern SIZE = Pattern.compile("[0-9]+[kKmMgG]?");
    private static final Pattern OCTAL = Pattern.compile("[0-7]{1,4}");
    private static final Pattern ID_NUMBER = Pattern.compile("[0-9]{1,10}");

    /** Every mount of a RUN: {@code flags} is the parser's value of --mount, one flag per line. */
    static List<RunMount> parseAll(String flags, String workingDir) {
        List<RunMount> out = new ArrayList<>();
        if (flags == null || flags.isEmpty()) return out;
        for (String flag : flags.split("\n")) out.add(parse(flag, workingDir));
        return out;
    }

    static RunMount parse(String flag, String workingDir) {
        String type = "bind";
        String target = null;
        String source = "";
        String from = "";
        String id = "";
        Sharing sharing = Sharing.SHARED;
        int mode = 0755;
        int uid = 0;
        int gid = 0;
        Boolean readOnly = null;
        String size = "";
        List<String[]> pairs = new ArrayList<>();
        for (String field : flag.split(",", -1)) {
            int eq = field.indexOf('=');
            String key = canonical((eq < 0 ? field : field.substring(0, eq)).trim().toLowerCase(Locale.ROOT));
            String value = eq < 0 ? null : field.substring(eq + 1);
            if (key.equals("type")) {
                if (value == null) throw new InvalidArgumentException("RUN --mount: type needs a value");
                type = value.toLowerCase(Locale.ROOT);
            }
            pairs.add(new String[] {key, value, field});
        }
        Set<String> allowed = switch (type) {
            case "bind" -> BIND_KEYS;
            case "cache" -> CACHE_KEYS;
            case "tmpfs" -> TMPFS_KEYS;
            case "secret", "ssh" -> throw new InvalidArgumentException("berth does not support RUN --mount=type=" + type + " yet");
            default -> throw new InvalidArgumentException("RUN --mount: unsupported mount type \"" + type + "\"");
        };
        for (String[] p : pairs) {
            String key = p[0];
            String value = p[1];
            if (!allowed.contains(key)) {
                throw new InvalidArgumentException("berth does not support \"" + p[2] + "\" in RUN --mount=type=" + type);
            }
            boolean flagOnly = key.equals("readonly") || key.equals("readwrite");
            if (value == null && !flagOnly) throw new InvalidArgumentException("RUN --mount: " + key + " needs a value");
            switch (key) {
                case "type" -> { }
                case "target" -> target = value;
                case "source" -> source = value;
                case "from" -> from = value;
                case "id" -> id = value;
                case "sharing" -> sharing = switch (value.toLowerCase(Locale.ROOT)) {
                    case "shared" -> Sharing.SHARED;
                    case "private" -> Sharing.PRIVATE;
                    case "locked" -> Sharing.LOCKED;
                    default -> throw new InvalidArgumentException("RUN --mount: unsupported sharing value \"" + value + "\"");
                };
                case "mode" -> mode = number(key, value, OCTAL, 8);
                case "uid" -> uid = number(key, value, ID_NUMBER, 10);
                case "gid" -> gid = number(key, value, ID_NUMBER, 10);
                case "readonly" -> readOnly = bool(key, value);
                case "readwrite" -> readOnly = !bool(key, value);
                case "size" -> {
                    if (!SIZE.matcher(value).matches()) throw new InvalidArgumentException("RUN --mount: invalid size \"" + value + "\"");
                    size = value;
                }
                default -> throw new IllegalStateException(key);
            }
        }
        if (target == null || target.isEmpty()) throw new InvalidArgumentException("RUN --mount: a target is required");
        String absolute = java.nio.file.Path.of("/").resolve(target.startsWith("/") ? target : workingDir + "/" + target)
                .normalize().toString();
        if (absolute.equals("/")) throw new InvalidArgumentException("RUN --mount: cannot mount over / (target " + target + ")");
        Type t = Type.valueOf(type.toUpperCase(Locale.ROOT));
        boolean ro = readOnly != null ? readOnly : t == Type.BIND;
        return new RunMount(t, absolute, source.isEmpty() ? "/" : source, from, id.isEmpty() ? absolute : id, sharing, mode,
                uid, gid, ro, size);
    }

    private static String canonical(String key) {
        return switch (key) {
            case "dst", "destination" -> "target";
            case "src" -> "source";
            case "ro" -> "readonly";
            case "rw" -> "readwrite";
            default -> key;
        };
    }

    private static int number(String key, String value, Pattern pattern, int radix) {
        if (!pattern.matcher(value).matches()) throw new InvalidArgumentException("RUN --mount: invalid " + key + " \"" + value + "\"");
        long n = Long.parseLong(value, radix);
        if (n > Integer.MAX_VALUE) throw new InvalidArgumentException("RUN --mount: invalid " + key + " \"" + value + "\"");
        return (int) n;
    }

    private static boolean bool(String key, String value) {
        if (value == null) return true;
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidArgumentException("RUN --mount: invalid value for " + key + ": \"" + value + "\"");
        };
    }
}
