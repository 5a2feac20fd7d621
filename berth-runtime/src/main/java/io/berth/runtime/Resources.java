package io.berth.runtime;

/** Cgroup limits of a container; 0 means unlimited (cpuShares 0 means the kernel default). */
public record Resources(long memoryBytes, long nanoCpus, long pidsLimit, long cpuShares) {
    public static final Resources UNLIMITED = new Resources(0, 0, 0, 0);
}
