package io.berth.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One sample of a container's cgroup counters, in the units Docker's stats API uses.
 *
 * @param memoryLimit bytes; the host's total memory when the cgroup is unlimited
 * @param cpuTotalUsageNs cumulative CPU time of the container
 * @param systemCpuUsageNs cumulative CPU time of the whole host (from /proc/stat), for percentage math
 */
public record ContainerStats(Instant read, long memoryUsage, long memoryMaxUsage, long memoryLimit,
                             Map<String, Long> memoryStat, long cpuTotalUsageNs, List<Long> perCpuUsageNs,
                             long cpuUserNs, long cpuSystemNs, long systemCpuUsageNs, int onlineCpus,
                             long pidsCurrent, long pidsLimit) {
    public ContainerStats {
        memoryStat = Map.copyOf(memoryStat);
        perCpuUsageNs = List.copyOf(perCpuUsageNs);
    }
}
