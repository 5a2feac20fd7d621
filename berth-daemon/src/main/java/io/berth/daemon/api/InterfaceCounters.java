package io.berth.daemon.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-interface counters of stats' "networks", as Docker reports them: read from /proc/PID/net/dev, which shows
 * the network namespace of process PID (the container's init), loopback left out as Docker leaves it out.
 */
record InterfaceCounters(long rxBytes, long rxPackets, long rxErrors, long rxDropped,
                         long txBytes, long txPackets, long txErrors, long txDropped) {

    /** The counters of the namespace process {@code pid} is in; empty when it has gone. */
    static Map<String, InterfaceCounters> ofProcess(int pid) {
        try {
            return parse(Files.readString(Path.of("/proc/" + pid + "/net/dev")));
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** /proc/net/dev: two heading lines, then "NAME: rx bytes packets errs drop fifo frame compressed multicast tx bytes packets errs drop ...". */
    static Map<String, InterfaceCounters> parse(String netDev) {
        Map<String, InterfaceCounters> out = new LinkedHashMap<>();
        for (String line : netDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.contains("|")) continue;
            String name = line.substring(0, colon).strip();
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (name.equals("lo") || f.length < 12) continue;
            out.put(name, new InterfaceCounters(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])));
        }
        return out;
    }

    /**
     * These counters since {@code base}, the interface's counters when the container got its namespace (a prewired
     * one: the device may have counted traffic, even served an earlier container, before); null is zero. A counter
     * below its base means the device is not the one counted then (removed and made again): its own count stands.
     */
    InterfaceCounters since(InterfaceCounters base) {
        if (base == null) return this;
        long[] now = fields(), then = base.fields(), out = new long[now.length];
        for (int i = 0; i < now.length; i++) {
            if (now[i] < then[i]) return this;
            out[i] = now[i] - then[i];
        }
        return new InterfaceCounters(out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7]);
    }

    private long[] fields() {
        return new long[]{rxBytes, rxPackets, rxErrors, rxDropped, txBytes, txPackets, txErrors, txDropped};
    }

    /** Docker's JSON of one interface (its NetworkStats fields, in its order). */
    Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rx_bytes", rxBytes);
        m.put("rx_packets", rxPackets);
        m.put("rx_errors", rxErrors);
        m.put("rx_dropped", rxDropped);
        m.put("tx_bytes", txBytes);
        m.put("tx_packets", txPackets);
        m.put("tx_errors", txErrors);
        m.put("tx_dropped", txDropped);
        return m;
    }
}
