package io.berth.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The options of a user's tmpfs mount: which ones berth passes to the kernel, and how they merge with Docker's
 * defaults (noexec, nosuid, nodev: a later `exec` undoes `noexec`). Anything else is refused, never passed on.
 */
public final class TmpfsOptions {
    private static final List<String> DEFAULTS = List.of("noexec", "nosuid", "nodev");
    /** flag → the flag it cancels */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("ro", "rw"), Map.entry("rw", "ro"), Map.entry("exec", "noexec"), Map.entry("noexec", "exec"),
            Map.entry("suid", "nosuid"), Map.entry("nosuid", "suid"), Map.entry("dev", "nodev"), Map.entry("nodev", "dev"),
            Map.entry("sync", "async"), Map.entry("async", "sync"), Map.entry("dirsync", ""),
            Map.entry("atime", "noatime"), Map.entry("noatime", "atime"), Map.entry("diratime", "nodiratime"),
            Map.entry("nodiratime", "diratime"), Map.entry("relatime", "norelatime"), Map.entry("norelatime", "relatime"),
            Map.entry("strictatime", "nostrictatime"), Map.entry("nostrictatime", "strictatime"));
    private static final Set<String> NUMBERS = Set.of("size", "nr_inodes", "nr_blocks", "uid", "gid");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+[kKmMgG%]?");
    private static final Pattern OCTAL = Pattern.compile("[0-7]{1,4}");

    private TmpfsOptions() {}

    /** Checks each option; the message names the first one berth does not pass to the kernel. */
    public static List<String> parse(String options) {
        List<String> out = new ArrayList<>();
        if (options == null || options.isEmpty()) return out;
        for (String o : options.split(",")) {
            int eq = o.indexOf('=');
            boolean ok;
            if (eq < 0) {
                ok = FLAGS.containsKey(o);
            } else {
                String key = o.substring(0, eq);
                String value = o.substring(eq + 1);
                ok = key.equals("mode") ? OCTAL.matcher(value).matches() : NUMBERS.contains(key) && NUMBER.matcher(value).matches();
            }
            if (!ok) throw new IllegalArgumentException("invalid tmpfs option \"" + o + "\"");
            out.add(o);
        }
        return out;
    }

    /** Docker's defaults, then the user's options; a later flag replaces its opposite, a later key=value its key. */
    static List<String> merge(List<String> user, boolean readOnly) {
        Map<String, String> byKey = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(DEFAULTS);
        all.addAll(user);
        if (readOnly) all.add("ro");
        for (String o : all) {
            int eq = o.indexOf('=');
            if (eq < 0) {
                String opposite = FLAGS.getOrDefault(o, "");
                if (!opposite.isEmpty()) byKey.remove(opposite);
                byKey.put(o, o);
            } else {
                byKey.put(o.substring(0, eq), o);
            }
        }
        return List.copyOf(byKey.values());
    }
}
