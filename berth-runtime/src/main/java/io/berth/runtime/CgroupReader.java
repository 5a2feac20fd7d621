package io.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a container's counters from its cgroup: v1 (memory, cpuacct, pids hierarchies, each at
 * &lt;root&gt;/&lt;controller&gt;/berth/&lt;id&gt;) or v2 (one dir &lt;root&gt;/berth/&lt;id&gt;). The root is a parameter so
 * the parsing is testable against a temp directory.
 */
final class CgroupReader {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux
    private final Path root;
    private final boolean v2;

    CgroupReader(Path root, boolean v2) {
        this.root = root;
        this.v2 = v2;
    }

    static CgroupReader host() {
        return new CgroupReader(Path.of("/sys/fs/cgroup"), HostFacts.cgroupV2());
    }

    Path dir(String controller, String id) {
        String rel = OciConfig.cgroupsPath(id).substring(1);
        return v2 ? root.resolve(rel) : root.resolve(controller).resolve(rel);
    }

    ContainerStats stats(String id) {
        Map<String, Long> memStat = new LinkedHashMap<>();
        long usage, maxUsage, limit, cpu, user = 0, sys = 0, pids, pidsMax;
        List<Long> perCpu = new ArrayList<>();
        if (v2) {
            Path d = dir("", id);
            usage = readLong(d.resolve("memory.current"));
            maxUsage = readLong(d.resolve("memory.peak"));
            limit = readLong(d.resolve("memory.max"));
            memStat.putAll(readKeyValues(d.resolve("memory.stat")));
            Map<String, Long> cpuStat = readKeyValues(d.resolve("cpu.stat"));
            cpu = cpuStat.getOrDefault("usage_usec", 0L) * 1000;
            user = cpuStat.getOrDefault("user_usec", 0L) * 1000;
            sys = cpuStat.getOrDefault("system_usec", 0L) * 1000;
            pids = readLong(d.resolve("pids.current"));
            pidsMax = readLong(d.resolve("pids.max"));
        } else {
            Path mem = dir("memory", id);
            usage = readLong(mem.resolve("memory.usage_in_bytes"));
            maxUsage = readLong(mem.resolve("memory.max_usage_in_bytes"));
            limit = readLong(mem.resolve("memory.limit_in_bytes"));
            memStat.putAll(readKeyValues(mem.resolve("memory.stat")));
            Path acct = dir("cpuacct", id);
            cpu = readLong(acct.resolve("cpuacct.usage"));
            for (String s : readString(acct.resolve("cpuacct.usage_percpu")).trim().split("\\s+")) {
                if (!s.isEmpty()) perCpu.add(Long.parseLong(s));
            }
            Map<String, Long> cpuStat = readKeyValues(acct.resolve("cpuacct.stat"));
            user = cpuStat.getOrDefault("user", 0L) * NANOS_PER_TICK;
            sys = cpuStat.getOrDefault("system", 0L) * NANOS_PER_TICK;
            Path p = dir("pids", id);
            pids = readLong(p.resolve("pids.current"));
            pidsMax = readLong(p.resolve("pids.max"));
        }
        long hostMem = hostMemory();
        if (limit <= 0 || limit > hostMem) limit = hostMem;
        return new ContainerStats(Instant.now(), usage, maxUsage, limit, memStat, cpu, perCpu, user, sys,
                systemCpuUsage(), Runtime.getRuntime().availableProcessors(), pids, pidsMax);
    }

    /** The pids in the container's cgroup (its processes, for top). */
    List<Integer> pids(String id) {
        Path procs = (v2 ? dir("", id) : dir("pids", id)).resolve("cgroup.procs");
        List<Integer> out = new ArrayList<>();
        for (String s : readString(procs).split("\n")) {
            if (!s.isBlank()) out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }

    /** True when the kernel OOM-killed a process of this container's cgroup. */
    boolean oomKilled(String id) {
        if (v2) return readKeyValues(dir("", id).resolve("memory.events")).getOrDefault("oom_kill", 0L) > 0;
        return readKeyValues(dir("memory", id).resolve("memory.oom_control")).getOrDefault("oom_kill", 0L) > 0;
    }

    static long systemCpuUsage() {
        for (String line : readString(Path.of("/proc/stat")).split("\n")) {
            if (line.startsWith("cpu ")) {
                long total = 0;
                String[] f = line.trim().split("\\s+");
                for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]);
                return total * NANOS_PER_TICK;
            }
        }
        return 0;
    }

    private static long hostMemory() {
        for (String line : readString(Path.of("/proc/meminfo")).split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return Long.MAX_VALUE;
    }

    static String readString(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static long readLong(Path p) {
        String s = readString(p).trim();
        if (s.isEmpty() || s.equals("max")) return 0;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Map<String, Long> readKeyValues(Path p) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : readString(p).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                try {
                    m.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException ignored) {
                    // not a counter
                }
            }
        }
        return m;
    }
}
