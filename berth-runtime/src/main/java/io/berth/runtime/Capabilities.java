package io.berth.runtime;

import io.berth.oci.errors.InvalidArgumentException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Docker's capability rules: a default set, then cap-add / cap-drop with "ALL", limited to what the host can grant. */
final class Capabilities {
    /** Every capability by number, as in linux/capability.h. */
    static final List<String> ALL = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    static final List<String> DOCKER_DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private Capabilities() {}

    static String normalize(String cap) {
        String c = cap.trim().toUpperCase(Locale.ROOT);
        if (c.equals("ALL")) return c;
        if (!c.startsWith("CAP_")) c = "CAP_" + c;
        if (!ALL.contains(c)) throw new InvalidArgumentException("unknown capability: \"" + cap + "\"");
        return c;
    }

    /** The effective set for a container, in capability-number order, within {@code hostBounding}. */
    static List<String> compute(boolean privileged, List<String> capAdd, List<String> capDrop, long hostBounding) {
        Set<String> adds = new LinkedHashSet<>();
        for (String c : capAdd) adds.add(normalize(c));
        Set<String> drops = new LinkedHashSet<>();
        for (String c : capDrop) drops.add(normalize(c));
        Set<String> result = new LinkedHashSet<>();
        if (privileged) {
            result.addAll(ALL);
        } else {
            result.addAll(adds.contains("ALL") ? ALL : DOCKER_DEFAULT);
            if (drops.contains("ALL")) result.clear();
            else result.removeAll(drops);
            for (String a : adds) if (!a.equals("ALL")) result.add(a);
        }
        List<String> ordered = new ArrayList<>();
        for (int i = 0; i < ALL.size(); i++) {
            if (result.contains(ALL.get(i)) && (hostBounding & (1L << i)) != 0) ordered.add(ALL.get(i));
        }
        return ordered;
    }
}
