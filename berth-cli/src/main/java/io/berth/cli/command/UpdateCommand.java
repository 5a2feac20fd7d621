package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker update: only the flags given are sent; the daemon keeps every other setting as it is. */
@Command(name = "update", description = "Update configuration of one or more containers")
public final class UpdateCommand extends ForEachContainer {

    @Option(names = {"-m", "--memory"}, paramLabel = "bytes", description = "Memory limit")
    String memory;

    @Option(names = "--memory-swap", paramLabel = "bytes", description = "Swap limit equal to memory plus swap: -1 to enable unlimited swap")
    String memorySwap;

    @Option(names = "--cpus", paramLabel = "decimal", description = "Number of CPUs")
    String cpus;

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "int", description = "CPU shares (relative weight)")
    Long cpuShares;

    @Option(names = "--cpu-quota", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) quota")
    Long cpuQuota;

    @Option(names = "--cpu-period", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) period")
    Long cpuPeriod;

    @Option(names = "--pids-limit", paramLabel = "int", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;

    @Option(names = "--memory-reservation", paramLabel = "bytes", description = "Memory soft limit")
    String memoryReservation;

    @Option(names = "--kernel-memory", paramLabel = "bytes", description = "Kernel memory limit (deprecated: refused by berthd)")
    String kernelMemory;

    @Option(names = "--cpuset-cpus", paramLabel = "string", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "string", description = "MEMs in which to allow execution (0-3, 0,1)")
    String cpusetMems;

    @Option(names = "--cpu-rt-period", paramLabel = "int", description = "Limit the CPU real-time period in microseconds")
    Long cpuRtPeriod;

    @Option(names = "--cpu-rt-runtime", paramLabel = "int", description = "Limit the CPU real-time runtime in microseconds")
    Long cpuRtRuntime;

    @Option(names = "--blkio-weight", paramLabel = "uint16", description = "Block IO (relative weight), between 10 and 1000")
    Integer blkioWeight;

    @Option(names = "--restart", paramLabel = "string", description = "Restart policy to apply when a container exits")
    String restart;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    private ObjectNode update;

    @Override
    public Integer call() {
        ObjectNode u = JsonNodeFactory.instance.objectNode();
        if (memory != null) u.put("Memory", MemorySize.parse(memory));
        if (memorySwap != null) u.put("MemorySwap", memorySwap.equals("-1") ? -1 : MemorySize.parse(memorySwap));
        if (cpus != null) u.put("NanoCpus", CreateOptions.nanoCpus(cpus));
        if (cpuShares != null) u.put("CpuShares", cpuShares);
        if (cpuQuota != null) u.put("CpuQuota", cpuQuota);
        if (cpuPeriod != null) u.put("CpuPeriod", cpuPeriod);
        if (pidsLimit != null) u.put("PidsLimit", pidsLimit);
        if (memoryReservation != null) u.put("MemoryReservation", MemorySize.parse(memoryReservation));
        if (kernelMemory != null) u.put("KernelMemory", MemorySize.parse(kernelMemory));
        if (cpusetCpus != null) u.put("CpusetCpus", cpusetCpus);
        if (cpusetMems != null) u.put("CpusetMems", cpusetMems);
        if (cpuRtPeriod != null) u.put("CpuRealtimePeriod", cpuRtPeriod);
        if (cpuRtRuntime != null) u.put("CpuRealtimeRuntime", cpuRtRuntime);
        if (blkioWeight != null) u.put("BlkioWeight", blkioWeight);
        if (restart != null) {
            CreateOptions.RestartPolicy policy = CreateOptions.RestartPolicy.parse(restart);
            u.putObject("RestartPolicy").put("Name", policy.name()).put("MaximumRetryCount", policy.maximumRetryCount());
        }
        if (u.isEmpty()) {
            throw new IllegalArgumentException("you must provide one or more flags when using this command");
        }
        update = u;
        return forEach(containers);
    }

    @Override
    String apply(String container) {
        client().updateContainer(container, update);
        return container;
    }
}
