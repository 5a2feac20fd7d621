package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.format.Humanize;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One {@code stats} line computed from a stats sample, with docker's formulas. */
public final class StatsRow {

    public static final String DEFAULT_FORMAT =
            "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    public static final Map<String, String> HEADERS = Map.of("ID", "CONTAINER ID", "Name", "NAME", "Container", "CONTAINER",
            "CPUPerc", "CPU %", "MemUsage", "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET I/O",
            "BlockIO", "BLOCK I/O", "PIDs", "PIDS");

    private StatsRow() {}

    public static Map<String, Object> row(String requested, JsonNode s, boolean trunc) {
        Map<String, Object> row = new LinkedHashMap<>();
        String id = s.path("id").asText();
        row.put("Container", requested);
        row.put("ID", trunc ? Humanize.shortId(id) : id);
        String name = s.path("name").asText();
        row.put("Name", name.startsWith("/") ? name.substring(1) : name);
        row.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", cpuPercent(s)));
        double mem = memoryUsage(s.path("memory_stats"));
        double limit = s.path("memory_stats").path("limit").asDouble();
        row.put("MemUsage", Humanize.bytes(mem) + " / " + Humanize.bytes(limit));
        row.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", limit > 0 ? mem / limit * 100 : 0.0));
        double rx = 0;
        double tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asDouble();
            tx += n.path("tx_bytes").asDouble();
        }
        row.put("NetIO", Humanize.size(rx, 3) + " / " + Humanize.size(tx, 3));
        double read = 0;
        double write = 0;
        for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            switch (e.path("op").asText().toLowerCase(Locale.ROOT)) {
                case "read" -> read += e.path("value").asDouble();
                case "write" -> write += e.path("value").asDouble();
                default -> { }
            }
        }
        row.put("BlockIO", Humanize.size(read, 3) + " / " + Humanize.size(write, 3));
        row.put("PIDs", Long.toString(s.path("pids_stats").path("current").asLong()));
        return row;
    }

    static double cpuPercent(JsonNode s) {
        JsonNode cpu = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble() - pre.path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        double online = cpu.path("online_cpus").asDouble();
        if (online == 0) {
            online = cpu.path("cpu_usage").path("percpu_usage").size();
        }
        if (systemDelta > 0 && cpuDelta > 0) {
            return cpuDelta / systemDelta * online * 100.0;
        }
        return 0.0;
    }

    /** Usage without the page cache that can be reclaimed (cgroup v1 total_inactive_file, v2 inactive_file). */
    static double memoryUsage(JsonNode m) {
        double usage = m.path("usage").asDouble();
        JsonNode stats = m.path("stats");
        if (stats.has("total_inactive_file")) {
            double v = stats.get("total_inactive_file").asDouble();
            if (v < usage) {
                return usage - v;
            }
        } else if (stats.has("inactive_file")) {
            double v = stats.get("inactive_file").asDouble();
            if (v < usage) {
                return usage - v;
            }
        }
        return usage;
    }
}
