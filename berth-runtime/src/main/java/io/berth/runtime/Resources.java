package io.berth.runtime;

import java.util.List;
import java.util.Map;

/**
 * The limits a container runs under: its cgroup's (memory, CPU, cpuset, pids, block I/O) and its processes'
 * own (rlimits, OOM score, /dev/shm size, namespaced sysctls). 0 means unlimited (cpuShares 0 means the kernel
 * default). memorySwapBytes is Docker's MemorySwap, memory plus swap: 0 means no swap beyond the memory limit,
 * -1 unlimited swap. A part read from a state file written before it existed is null and becomes its default.
 *
 * @param memorySwappiness 0-100, or null for the kernel's (the parent cgroup's) value
 * @param oomKillDisable the cgroup's OOM killer is off: a task at the limit waits instead of being killed
 */
public record Resources(long memoryBytes, long nanoCpus, long pidsLimit, long cpuShares, long memorySwapBytes,
                        long memoryReservationBytes, Long memorySwappiness, boolean oomKillDisable, CpuTuning cpu,
                        BlockIo blockIo, ProcessLimits process) {
    public static final Resources UNLIMITED = new Resources(0, 0, 0, 0, 0);

    public Resources {
        cpu = cpu == null ? CpuTuning.NONE : cpu;
        blockIo = blockIo == null ? BlockIo.NONE : blockIo;
        process = process == null ? ProcessLimits.DEFAULT : process;
    }

    public Resources(long memoryBytes, long nanoCpus, long pidsLimit, long cpuShares) {
        this(memoryBytes, nanoCpus, pidsLimit, cpuShares, 0);
    }

    public Resources(long memoryBytes, long nanoCpus, long pidsLimit, long cpuShares, long memorySwapBytes) {
        this(memoryBytes, nanoCpus, pidsLimit, cpuShares, memorySwapBytes, 0, null, false, null, null, null);
    }

    /** The swap figure for config.json: memory plus swap, never below the memory limit. */
    public long swapLimit() {
        return memorySwapBytes == -1 ? -1 : Math.max(memorySwapBytes, memoryBytes);
    }

    /**
     * CFS and real-time CPU bandwidth (microseconds) and cpuset, each 0 or "" when not set. A period or quota set
     * here wins over the one NanoCpus implies (period 100ms), as in Docker.
     */
    public record CpuTuning(long period, long quota, long realtimePeriod, long realtimeRuntime, String cpusetCpus,
                            String cpusetMems) {
        public static final CpuTuning NONE = new CpuTuning(0, 0, 0, 0, "", "");

        public CpuTuning {
            cpusetCpus = cpusetCpus == null ? "" : cpusetCpus;
            cpusetMems = cpusetMems == null ? "" : cpusetMems;
        }
    }

    /** The blkio controller: a weight (10-1000, 0 unset) and per-device throttles. */
    public record BlockIo(int weight, List<ThrottleDevice> readBps, List<ThrottleDevice> writeBps,
                          List<ThrottleDevice> readIops, List<ThrottleDevice> writeIops) {
        public static final BlockIo NONE = new BlockIo(0, null, null, null, null);

        public BlockIo {
            readBps = readBps == null ? List.of() : List.copyOf(readBps);
            writeBps = writeBps == null ? List.of() : List.copyOf(writeBps);
            readIops = readIops == null ? List.of() : List.copyOf(readIops);
            writeIops = writeIops == null ? List.of() : List.copyOf(writeIops);
        }
    }

    /** A throttle on one block device, found by its host path at create (the cgroup knows it by major:minor). */
    public record ThrottleDevice(String path, long major, long minor, long rate) {}

    /**
     * What the container's processes get beside the cgroup: rlimits (replacing berth's default of the same type),
     * an OOM score adjustment, the size of /dev/shm (0: Docker's 64 MiB), namespaced sysctls.
     */
    public record ProcessLimits(long shmSizeBytes, int oomScoreAdj, List<Ulimit> ulimits, Map<String, String> sysctls) {
        public static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;
        public static final ProcessLimits DEFAULT = new ProcessLimits(0, 0, null, null);

        public ProcessLimits {
            ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
            sysctls = sysctls == null ? Map.of() : Map.copyOf(sysctls);
        }

        public long shmSize() {
            return shmSizeBytes > 0 ? shmSizeBytes : DEFAULT_SHM_SIZE;
        }
    }

    /** One rlimit as Docker names it ("nofile", without RLIMIT_). */
    public record Ulimit(String name, long soft, long hard) {}
}
