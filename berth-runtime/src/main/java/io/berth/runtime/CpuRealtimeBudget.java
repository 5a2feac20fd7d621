package io.berth.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.berth.oci.errors.SystemFailureException;

/**
 * Real-time CPU time for containers on cgroup v1. The kernel lets a cgroup's real-time tasks run only within
 * its parent's budget (the children's runtime/period ratios together at most the parent's), and berth's parent
 * cgroup {@code /berth} starts with none, so a container's {@code cpu.rt_runtime_us} would be refused (EINVAL).
 * Docker sets its parent's budget from the daemon's own --cpu-rt-runtime; berth grows /berth's budget to what
 * its containers ask for just before one starts or is updated. The budget is never shrunk: containers
 * come and go, and a budget only permits real-time scheduling, it takes no time from other tasks.
 *
 * <pre>
 * CPU_ROOT/cpu.rt_runtime_us          the host's budget (the kernel's 950000 per 1000000 by default)
 * CPU_ROOT/berth/cpu.rt_runtime_us    grown here
 * CPU_ROOT/berth/ID/cpu.rt_runtime_us written by the runtime from config.json
 * </pre>
 */
final class CpuRealtimeBudget {
    /** A new cgroup's real-time period (the kernel's sched_rt_period_us default). */
    private static final long DEFAULT_PERIOD = 1_000_000L;
    private final Path parent;

    /** @param cpuRoot the cgroup v1 cpu hierarchy, /sys/fs/cgroup/cpu */
    CpuRealtimeBudget(Path cpuRoot, String parentCgroup) {
        this.parent = cpuRoot.resolve(parentCgroup.replaceFirst("^/+", ""));
    }

    /** This host's, shared by every start and update of this berthd (its containers' cgroups are under /berth). */
    static final CpuRealtimeBudget HOST = new CpuRealtimeBudget(Path.of("/sys/fs/cgroup/cpu"),
            OciConfig.cgroupsPath("x").substring(0, OciConfig.cgroupsPath("x").lastIndexOf('/')));

    /** Room for a container's real-time settings, when it has any. */
    void reserve(String id, Resources.CpuTuning cpu) {
        reserve(id, cpu.realtimePeriod(), cpu.realtimeRuntime());
    }

    /** Makes room in the parent's budget for container {@code id} with these real-time settings (0: none). */
    synchronized void reserve(String id, long period, long runtime) {
        if (runtime <= 0) return;
        try {
            Files.createDirectories(parent);
            long needed = needed(id, period > 0 ? period : DEFAULT_PERIOD, runtime);
            Path file = parent.resolve("cpu.rt_runtime_us");
            if (read(file) >= needed) return;
            try {
                Files.writeString(file, Long.toString(needed));
            } catch (IOException e) {
                throw new SystemFailureException("cannot give cgroup " + parent + " the real-time CPU budget its containers"
                        + " need (" + needed + " µs per " + read(parent.resolve("cpu.rt_period_us")) + " µs): "
                        + e.getMessage() + "; the host's budget is " + read(parent.getParent().resolve("cpu.rt_runtime_us"))
                        + " µs, shared with its other cgroups", e);
            }
        } catch (IOException e) {
            throw new SystemFailureException("reading the real-time CPU budget under " + parent + ": " + e.getMessage(), e);
        }
    }

    /** The parent's runtime that fits every other child's ratio plus this container's, each rounded up to a µs. */
    long needed(String id, long period, long runtime) throws IOException {
        long parentPeriod = read(parent.resolve("cpu.rt_period_us"));
        long needed = scaled(runtime, period, parentPeriod);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, Files::isDirectory)) {
            for (Path child : children) {
                if (child.getFileName().toString().equals(id)) continue;
                needed += scaled(read(child.resolve("cpu.rt_runtime_us")), read(child.resolve("cpu.rt_period_us")), parentPeriod);
            }
        }
        return needed;
    }

    private static long scaled(long runtime, long period, long parentPeriod) {
        if (runtime <= 0 || period <= 0) return 0;
        return Math.ceilDiv(Math.multiplyExact(runtime, parentPeriod), period);
    }

    private static long read(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }
}
