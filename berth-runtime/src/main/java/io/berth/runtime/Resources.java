package io.berth.runtime;

/**
 * Cgroup limits of a container; 0 means unlimited (cpuShares 0 means the kernel default).
 * memorySwapBytes is Docker's MemorySwap, memory plus swap: 0 means no swap beyond the memory limit,
 * -1 unlimited swap.
 */
public record Resources(long memoryBytes, long nanoCpus, long pidsLimit, long cpuShares, long memorySwapBytes) {
    public static final Resources UNLIMITED = new Resources(0, 0, 0, 0, 0);

    public Resources(long memoryBytes, long nanoCpus, long pidsLimit, long cpuShares) {
        this(memoryBytes, nanoCpus, pidsLimit, cpuShares, 0);
    }

    /** The swap figure for config.json: memory plus swap, never below the memory limit. */
    public long swapLimit() {
        return memorySwapBytes == -1 ? -1 : Math.max(memorySwapBytes, memoryBytes);
    }
}
