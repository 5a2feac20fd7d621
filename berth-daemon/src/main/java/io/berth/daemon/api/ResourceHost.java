package io.berth.daemon.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What this host offers the limits of a create request: Docker's daemon checks the same facts (its sysinfo)
 * before it accepts them. Read once at startup.
 *
 * @param cpus            the CPUs berthd can use (NanoCpus range)
 * @param cpusetCpus      the CPUs a cpuset may name, in the kernel's list format ("0-1")
 * @param cpusetMems      the memory nodes a cpuset may name ("0")
 * @param realtime        the cgroup v1 cpu controller has real-time bandwidth (cpu.rt_runtime_us)
 * @param blkioWeight     the blkio controller has a proportional weight (the BFQ scheduler's blkio.weight)
 * @param rlimitCeilings  hard rlimits (by Docker's ulimit name, -1 unlimited) a container cannot exceed because
 *                        berthd may not raise its own (it lacks CAP_SYS_RESOURCE); empty when it may
 * @param oomScoreAdjFloor the lowest OOM score adjustment a container can get: without CAP_SYS_RESOURCE the kernel
 *                        lets a process (the runtime, berthd's child) only raise its own, so berthd's is the floor
 */
record ResourceHost(int cpus, String cpusetCpus, String cpusetMems, boolean realtime, boolean blkioWeight,
                    Map<String, Long> rlimitCeilings, int oomScoreAdjFloor) {
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    private static final int CAP_SYS_RESOURCE = 24;
    /** /proc/self/limits' row names, by Docker's ulimit names. */
    private static final Map<String, String> LIMIT_ROWS = Map.ofEntries(Map.entry("Max cpu time", "cpu"),
            Map.entry("Max file size", "fsize"), Map.entry("Max data size", "data"), Map.entry("Max stack size", "stack"),
            Map.entry("Max core file size", "core"), Map.entry("Max resident set", "rss"), Map.entry("Max processes", "nproc"),
            Map.entry("Max open files", "nofile"), Map.entry("Max locked memory", "memlock"),
            Map.entry("Max file locks", "locks"), Map.entry("Max pending signals", "sigpending"),
            Map.entry("Max msgqueue size", "msgqueue"), Map.entry("Max nice priority", "nice"),
            Map.entry("Max realtime priority", "rtprio"), Map.entry("Max realtime timeout", "rttime"));

    ResourceHost {
        rlimitCeilings = Map.copyOf(rlimitCeilings);
    }

    static ResourceHost detect() {
        return detect(Runtime.getRuntime().availableProcessors());
    }

    static ResourceHost detect(int cpus) {
        boolean v2 = Files.exists(CGROUP.resolve("cgroup.controllers"));
        String cpusetCpus = v2 ? read(CGROUP.resolve("cpuset.cpus.effective")) : read(CGROUP.resolve("cpuset/cpuset.cpus"));
        String cpusetMems = v2 ? read(CGROUP.resolve("cpuset.mems.effective")) : read(CGROUP.resolve("cpuset/cpuset.mems"));
        boolean realtime = !v2 && Files.exists(CGROUP.resolve("cpu/cpu.rt_runtime_us"));
        boolean blkioWeight = !v2 && (Files.exists(CGROUP.resolve("blkio/blkio.weight"))
                || Files.exists(CGROUP.resolve("blkio/blkio.bfq.weight")));
        boolean sysResource = hasSysResource();
        return new ResourceHost(cpus, cpusetCpus.isEmpty() ? "0-" + (cpus - 1) : cpusetCpus,
                cpusetMems.isEmpty() ? "0" : cpusetMems, realtime, blkioWeight,
                sysResource ? Map.of() : ownHardLimits(), sysResource ? -1000 : ownOomScoreAdj());
    }

    private static int ownOomScoreAdj() {
        try {
            return Integer.parseInt(read(Path.of("/proc/self/oom_score_adj")));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean hasSysResource() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << CAP_SYS_RESOURCE)) != 0;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // unknown: check against our own limits, the runtime would fail the same way
        }
        return false;
    }

    private static Map<String, Long> ownHardLimits() {
        Map<String, Long> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                for (var row : LIMIT_ROWS.entrySet()) {
                    if (!line.startsWith(row.getKey() + " ")) continue;
                    String[] f = line.substring(row.getKey().length()).trim().split("\\s+");
                    out.put(row.getValue(), f[1].equals("unlimited") ? -1L : Long.parseLong(f[1]));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no ceilings known: the runtime reports a limit it cannot set at start
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
