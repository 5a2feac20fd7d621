package io.berth.daemon.api;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.Resources;

/**
 * HostConfig's cgroup numbers checked as Docker's daemon checks them before a create, with its messages,
 * and turned into berth's Resources. The JSON types were checked already (BodyTypes), so every value
 * read here is an int64 or absent.
 */
final class ResourceLimits {
    /** Below this the container cannot even start its first process (Docker's linuxMinMemory). */
    static final long MIN_MEMORY = 6L * 1024 * 1024;
    private static final long NANOS_PER_CPU = 1_000_000_000L;
    private static final long DEFAULT_CFS_PERIOD = 100_000L;
    /** The size of every container's /dev/shm (OciConfig), Docker's default. */
    private static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;

    private final int hostCpus;

    ResourceLimits(int hostCpus) {
        this.hostCpus = hostCpus;
    }

    Resources from(JsonNode host) {
        long memory = host.path("Memory").asLong(0);
        long swap = host.path("MemorySwap").asLong(0);
        if (memory != 0 && memory < MIN_MEMORY) throw new InvalidArgumentException("Minimum memory limit allowed is 6MB");
        if (memory > 0 && swap > 0 && swap < memory) {
            throw new InvalidArgumentException("Minimum memoryswap limit should be larger than memory limit, see usage.");
        }
        if (memory == 0 && swap > 0) {
            throw new InvalidArgumentException("You should always set the Memory limit when using Memoryswap limit, see usage.");
        }
        if (swap < -1) throw new InvalidArgumentException("Invalid value " + swap + " for MemorySwap: use -1 for unlimited swap");

        long nanoCpus = host.path("NanoCpus").asLong(0);
        long quota = host.path("CpuQuota").asLong(0);
        long period = host.path("CpuPeriod").asLong(0);
        if (nanoCpus > 0 && period > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nanoCpus > 0 && quota > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        // Below 0.01 CPU the quota would be under the kernel's 1ms minimum: refused here, not by the runtime at start.
        if (nanoCpus < 0 || (nanoCpus > 0 && nanoCpus < NANOS_PER_CPU / 100) || nanoCpus > hostCpus * NANOS_PER_CPU) {
            throw new InvalidArgumentException("Range of CPUs is from 0.01 to " + hostCpus + ".00, as there are only "
                    + hostCpus + " CPUs available");
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw new InvalidArgumentException("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) throw new InvalidArgumentException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        if (nanoCpus == 0 && quota > 0) nanoCpus = quotaAsNanoCpus(quota, period > 0 ? period : DEFAULT_CFS_PERIOD);

        long shares = host.path("CpuShares").asLong(0);
        if (shares < 0) throw new InvalidArgumentException("invalid CPU shares (" + shares + "): value must be a positive integer");
        // Docker's -1 (and any value below 1) means unlimited, which is berth's 0.
        long pids = Math.max(host.path("PidsLimit").asLong(0), 0);
        refuseUnapplied(host);
        return new Resources(memory, nanoCpus, pids, shares, swap);
    }

    /**
     * Limits Docker accepts that berth does not apply: a value other than the clients' default is refused by
     * name, never accepted and ignored. Docker's own range checks come first, with its messages.
     */
    private static void refuseUnapplied(JsonNode host) {
        for (String field : new String[] {"MemoryReservation", "KernelMemory", "CpuRealtimePeriod", "CpuRealtimeRuntime",
                "BlkioWeight", "OomScoreAdj"}) {
            if (host.path(field).asLong(0) != 0) throw unsupported(field);
        }
        JsonNode swappiness = host.path("MemorySwappiness");
        if (swappiness.isIntegralNumber() && swappiness.asLong() != -1) {
            if (swappiness.asLong() < 0 || swappiness.asLong() > 100) {
                throw new InvalidArgumentException("Invalid value: " + swappiness.asLong() + ", valid memory swappiness range is 0-100");
            }
            throw unsupported("MemorySwappiness");
        }
        if (host.path("OomKillDisable").asBoolean(false)) throw unsupported("OomKillDisable");
        if (!host.path("Ulimits").isEmpty()) throw unsupported("Ulimits");
        // A period is applied only as the denominator of a quota (berth writes the quota over 100 ms).
        if (host.path("CpuPeriod").asLong(0) != 0 && host.path("CpuQuota").asLong(0) <= 0) throw unsupported("CpuPeriod");
        for (String field : new String[] {"CpusetCpus", "CpusetMems"}) {
            if (!host.path(field).asText("").isEmpty()) throw unsupported(field);
        }
        long shm = host.path("ShmSize").asLong(0);
        if (shm < 0) throw new InvalidArgumentException("SHM size can not be less than 0");
        if (shm != 0 && shm != DEFAULT_SHM_SIZE) throw unsupported("ShmSize");
    }

    private static InvalidArgumentException unsupported(String field) {
        return new InvalidArgumentException("berth does not support HostConfig." + field + " yet");
    }

    /**
     * berth keeps one CPU figure and writes quota = nanoCpus × 100ms / 1s into config.json: a quota whose
     * figure would overflow there is far beyond the kernel's own bound, so it is refused rather than wrapped.
     */
    private static long quotaAsNanoCpus(long quota, long period) {
        long nanos;
        try {
            nanos = Math.multiplyExact(quota, NANOS_PER_CPU) / period;
            Math.multiplyExact(nanos, DEFAULT_CFS_PERIOD);
        } catch (ArithmeticException e) {
            throw new InvalidArgumentException("CPU cfs quota " + quota + " is too large");
        }
        // Rewritten over a 100ms period, less than 0.01 CPU would be a quota under the kernel's 1ms minimum.
        if (nanos < NANOS_PER_CPU / 100) {
            throw new InvalidArgumentException("berth does not support a CPU quota below 0.01 CPUs (CpuQuota " + quota
                    + " per CpuPeriod " + period + ")");
        }
        return nanos;
    }
}
