package io.berth.daemon.api;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.Resources;

/**
 * HostConfig's limits checked as Docker's daemon checks them before a create (or an update), with its messages,
 * and turned into berth's Resources: the cgroup's (memory, CPU bandwidth and cpuset, real-time CPU, block I/O,
 * pids) and the processes' own (ulimits, OOM score, /dev/shm size, sysctls). Where Docker would only warn and
 * drop a limit this host cannot apply (no blkio weight here), berth refuses it by name. The JSON types were
 * checked already (BodyTypes), so every number read here is an int64 or absent.
 */
final class ResourceLimits {
    /** Below this the container cannot even start its first process (Docker's linuxMinMemory). */
    static final long MIN_MEMORY = 6L * 1024 * 1024;
    private static final long NANOS_PER_CPU = 1_000_000_000L;
    /** A new cgroup's real-time period (µs), which a runtime alone must stay within. */
    private static final long DEFAULT_RT_PERIOD = 1_000_000L;
    /** Docker's ulimit names (go-units): each is RLIMIT_ + the name in upper case. */
    static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
            "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");
    /** Sysctls that live in the container's own IPC namespace (Docker's allowed list besides net.*). */
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final BigInteger RLIM_INFINITY = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** Limits that passed, and Docker's warnings about them (returned with the created container's id). */
    record Checked(Resources resources, List<String> warnings) {}

    private final ResourceHost host;

    ResourceLimits(int hostCpus) {
        this(ResourceHost.detect(hostCpus));
    }

    ResourceLimits(ResourceHost host) {
        this.host = host;
    }

    Resources from(JsonNode hostConfig) {
        return check(hostConfig, false).resources();
    }

    /** @param update an update's merged settings: MemorySwap keeps its value instead of Docker's create default */
    Checked check(JsonNode hc, boolean update) {
        List<String> warnings = new ArrayList<>();
        long memory = hc.path("Memory").asLong(0);
        long swap = hc.path("MemorySwap").asLong(0);
        if (memory != 0 && memory < MIN_MEMORY) throw new InvalidArgumentException("Minimum memory limit allowed is 6MB");
        if (memory > 0 && swap > 0 && swap < memory) {
            throw new InvalidArgumentException("Minimum memoryswap limit should be larger than memory limit, see usage.");
        }
        if (memory == 0 && swap > 0 && !update) {
            throw new InvalidArgumentException("You should always set the Memory limit when using Memoryswap limit, see usage.");
        }
        if (swap < -1) throw new InvalidArgumentException("Invalid value " + swap + " for MemorySwap: use -1 for unlimited swap");
        // Docker's create default: as much swap as memory (MemorySwap, memory plus swap, twice the memory)
        if (memory > 0 && swap == 0 && !update) swap = Math.multiplyExact(memory, 2);

        Long swappiness = null;
        JsonNode sw = hc.path("MemorySwappiness");
        if (sw.isIntegralNumber() && sw.asLong() != -1) {
            if (sw.asLong() < 0 || sw.asLong() > 100) {
                throw new InvalidArgumentException("Invalid value: " + sw.asLong() + ", valid memory swappiness range is 0-100");
            }
            swappiness = sw.asLong();
        }
        long reservation = hc.path("MemoryReservation").asLong(0);
        if (reservation < 0) throw new InvalidArgumentException("Invalid value " + reservation + " for MemoryReservation");
        if (reservation > 0 && reservation < MIN_MEMORY) throw new InvalidArgumentException("Minimum memory reservation allowed is 6MB");
        if (memory > 0 && reservation > 0 && memory < reservation) {
            throw new InvalidArgumentException("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        if (hc.path("KernelMemory").asLong(0) != 0) {
            throw new InvalidArgumentException("berth does not support HostConfig.KernelMemory: kernel memory limits are deprecated"
                    + " (Docker ignores them since API 1.42, and Linux 6.x has none to set)");
        }
        boolean oomKillDisable = hc.path("OomKillDisable").asBoolean(false);
        if (oomKillDisable && memory == 0) {
            warnings.add("OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.");
        }

        long nanoCpus = hc.path("NanoCpus").asLong(0);
        long quota = hc.path("CpuQuota").asLong(0);
        long period = hc.path("CpuPeriod").asLong(0);
        if (nanoCpus > 0 && period > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nanoCpus > 0 && quota > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        // Below 0.01 CPU the quota would be under the kernel's 1ms minimum: refused here, not by the runtime at start.
        if (nanoCpus < 0 || (nanoCpus > 0 && nanoCpus < NANOS_PER_CPU / 100) || nanoCpus > host.cpus() * NANOS_PER_CPU) {
            throw new InvalidArgumentException("Range of CPUs is from 0.01 to " + host.cpus() + ".00, as there are only "
                    + host.cpus() + " CPUs available");
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw new InvalidArgumentException("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) throw new InvalidArgumentException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        // the kernel takes -1 (no limit) and nothing else below 1ms; Docker would pass it on and fail at start
        if (quota < -1) throw new InvalidArgumentException("Invalid value " + quota + " for CpuQuota: use -1 for no limit");

        long shares = hc.path("CpuShares").asLong(0);
        if (shares < 0) throw new InvalidArgumentException("invalid CPU shares (" + shares + "): value must be a positive integer");

        long rtPeriod = hc.path("CpuRealtimePeriod").asLong(0);
        long rtRuntime = hc.path("CpuRealtimeRuntime").asLong(0);
        if ((rtPeriod != 0 || rtRuntime != 0) && !host.realtime()) {
            throw new InvalidArgumentException("Your kernel does not support CPU real-time scheduler");
        }
        if (rtPeriod < 0) throw new InvalidArgumentException("Invalid value " + rtPeriod + " for CpuRealtimePeriod");
        if (rtRuntime < -1) throw new InvalidArgumentException("Invalid value " + rtRuntime + " for CpuRealtimeRuntime");
        if (rtRuntime > (rtPeriod != 0 ? rtPeriod : DEFAULT_RT_PERIOD)) {
            throw new InvalidArgumentException("cpu-rt-runtime cannot be higher than cpu-rt-period");
        }
        String cpusetCpus = hc.path("CpusetCpus").asText("");
        String cpusetMems = hc.path("CpusetMems").asText("");
        cpuset(cpusetCpus, host.cpusetCpus(), "cpus", "Requested CPUs are not available");
        cpuset(cpusetMems, host.cpusetMems(), "mems", "Requested memory nodes are not available");

        // Docker's -1 (and any value below 1) means unlimited, which is berth's 0.
        long pids = Math.max(hc.path("PidsLimit").asLong(0), 0);

        int blkioWeight = hc.path("BlkioWeight").asInt(0);
        if (blkioWeight != 0 && (blkioWeight < 10 || blkioWeight > 1000)) {
            throw new InvalidArgumentException("Range of blkio weight is from 10 to 1000");
        }
        if (blkioWeight != 0 && !host.blkioWeight()) {
            throw new InvalidArgumentException("berth does not support HostConfig.BlkioWeight on this host: the kernel has no"
                    + " Block I/O weight (blkio.weight, which needs the BFQ I/O scheduler)");
        }
        for (String windowsOnly : new String[] {"IOMaximumBandwidth", "IOMaximumIOps"}) {
            if (hc.path(windowsOnly).asLong(0) != 0) {
                throw new InvalidArgumentException("Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO"
                        + " IOps (HostConfig." + windowsOnly + ")");
            }
        }
        Resources.BlockIo blockIo = new Resources.BlockIo(blkioWeight, throttles(hc, "BlkioDeviceReadBps"),
                throttles(hc, "BlkioDeviceWriteBps"), throttles(hc, "BlkioDeviceReadIOps"), throttles(hc, "BlkioDeviceWriteIOps"));

        long shm = hc.path("ShmSize").asLong(0);
        if (shm < 0) throw new InvalidArgumentException("SHM size can not be less than 0");
        long oomScoreAdj = hc.path("OomScoreAdj").asLong(0);
        if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
            throw new InvalidArgumentException("Invalid value " + oomScoreAdj + ", range for oom score adj is [-1000, 1000]");
        }
        if (oomScoreAdj < host.oomScoreAdjFloor()) {
            throw new InvalidArgumentException("Invalid value " + oomScoreAdj + " for OomScoreAdj: berthd cannot give a container"
                    + " an OOM score adjustment below its own (" + host.oomScoreAdjFloor() + ") without CAP_SYS_RESOURCE");
        }
        Resources.ProcessLimits process = new Resources.ProcessLimits(shm, (int) oomScoreAdj, ulimits(hc.path("Ulimits")),
                sysctls(hc));

        Resources resources = new Resources(memory, nanoCpus, pids, shares, swap, reservation, swappiness, oomKillDisable,
                new Resources.CpuTuning(period, quota, rtPeriod, rtRuntime, cpusetCpus, cpusetMems), blockIo, process);
        return new Checked(resources, List.copyOf(warnings));
    }

    /** A cpuset list ("0-2,4") that names only what the host has, else Docker's messages. */
    private static void cpuset(String requested, String available, String kind, String unavailable) {
        if (requested.isEmpty()) return;
        TreeSet<Integer> wanted;
        try {
            wanted = parseList(requested);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("Invalid value " + requested + " for cpuset " + kind + ": invalid format: " + requested);
        }
        TreeSet<Integer> have = parseList(available);
        if (!have.containsAll(wanted)) {
            throw new InvalidArgumentException(unavailable + " - requested " + requested + ", available: " + available);
        }
    }

    /** The kernel's list format: "0-2,4"; an empty list or a reversed range is malformed. */
    static TreeSet<Integer> parseList(String list) {
        TreeSet<Integer> out = new TreeSet<>();
        if (list.isEmpty()) return out;
        for (String part : list.split(",", -1)) {
            String[] range = part.split("-", -1);
            if (range.length > 2 || part.isEmpty()) throw new IllegalArgumentException(list);
            int from = number(range[0], list);
            int to = range.length == 2 ? number(range[1], list) : from;
            if (to < from || to - from > 65536) throw new IllegalArgumentException(list);
            for (int i = from; i <= to; i++) out.add(i);
        }
        return out;
    }

    private static int number(String s, String list) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 6) throw new IllegalArgumentException(list);
        return Integer.parseInt(s);
    }

    /**
     * [{"Path":"/dev/sda","Rate":N}]: the cgroup knows a device by major:minor, read from the host's node now
     * (Docker reads it at each start; a node that is not there is the same error at create).
     */
    private static List<Resources.ThrottleDevice> throttles(JsonNode hc, String field) {
        JsonNode list = hc.path(field);
        if (list.isMissingNode() || list.isNull()) return List.of();
        if (!list.isArray()) throw new InvalidArgumentException("HostConfig." + field + " must be a list of {Path, Rate}");
        List<Resources.ThrottleDevice> out = new ArrayList<>();
        for (JsonNode d : list) {
            String path = d.path("Path").asText("");
            JsonNode rate = d.path("Rate");
            if (path.isEmpty() || !rate.isIntegralNumber() || rate.asLong() < 0 || !rate.canConvertToLong()) {
                throw new InvalidArgumentException("HostConfig." + field + ": each entry needs a Path and a Rate (a number"
                        + " of bytes or operations per second), got " + d);
            }
            Path node = Path.of(path);
            int mode;
            long rdev;
            try {
                mode = (Integer) Files.getAttribute(node, "unix:mode");
                rdev = (Long) Files.getAttribute(node, "unix:rdev");
            } catch (NoSuchFileException e) {
                throw new InvalidArgumentException("stat " + path + ": no such file or directory");
            } catch (java.io.IOException | UnsupportedOperationException e) {
                throw new InvalidArgumentException("stat " + path + ": " + e.getMessage());
            }
            if ((mode & 0170000) != 0060000) {
                throw new InvalidArgumentException("HostConfig." + field + ": " + path + " is not a block device");
            }
            // glibc's gnu_dev_major/minor: the 64-bit dev_t layout Linux uses
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
            out.add(new Resources.ThrottleDevice(path, major, minor, rate.asLong()));
        }
        return out;
    }

    /** [{"Name":"nofile","Soft":N,"Hard":N}], -1 for unlimited; a later entry of a name replaces an earlier one. */
    private List<Resources.Ulimit> ulimits(JsonNode list) {
        if (list.isMissingNode() || list.isNull()) return List.of();
        Map<String, Resources.Ulimit> out = new LinkedHashMap<>();
        for (JsonNode u : list) {
            String name = u.path("Name").asText("");
            if (!ULIMITS.contains(name)) throw new InvalidArgumentException("invalid ulimit type: " + name);
            long soft = u.path("Soft").asLong(0);
            long hard = u.path("Hard").asLong(0);
            if (soft < -1 || hard < -1) throw new InvalidArgumentException("invalid ulimit " + name + ": a limit is -1 (unlimited) or at least 0");
            if (unsigned(soft).compareTo(unsigned(hard)) > 0) {
                throw new InvalidArgumentException("ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
            }
            Long ceiling = host.rlimitCeilings().get(name);
            if (ceiling != null && ceiling != -1 && unsigned(hard).compareTo(unsigned(ceiling)) > 0) {
                throw new InvalidArgumentException("ulimit " + name + ": hard limit " + (hard == -1 ? "unlimited" : hard)
                        + " is above berthd's own (" + ceiling + "), which it cannot raise without CAP_SYS_RESOURCE");
            }
            out.remove(name);
            out.put(name, new Resources.Ulimit(name, soft, hard));
        }
        return List.copyOf(out.values());
    }

    /** -1 is RLIM_INFINITY, the largest unsigned 64-bit value. */
    static BigInteger unsigned(long limit) {
        return limit == -1 ? RLIM_INFINITY : BigInteger.valueOf(limit);
    }

    /**
     * Docker's allowed sysctls are the ones namespaced with the container: IPC (kernel.msg*, kernel.sem, kernel.shm*,
     * fs.mqueue.*) and network (net.*). With the host's namespace they would change the host, so the runtime refuses
     * them, in runc's words.
     */
    private static Map<String, String> sysctls(JsonNode hc) {
        JsonNode map = hc.path("Sysctls");
        if (!map.isObject()) return Map.of();
        String network = hc.path("NetworkMode").asText("");
        String ipc = hc.path("IpcMode").asText("");
        Map<String, String> out = new LinkedHashMap<>();
        map.properties().forEach(e -> {
            String name = e.getKey();
            boolean net = name.startsWith("net.");
            boolean ipcNamespaced = IPC_SYSCTLS.contains(name) || name.startsWith("fs.mqueue.");
            if (!net && !ipcNamespaced) throw new InvalidArgumentException("sysctl '" + name + "' is not allowed");
            if (net && network.equals("host")) {
                throw new InvalidArgumentException("sysctl \"" + name + "\" not allowed in host network namespace");
            }
            if (ipcNamespaced && ipc.equals("host")) {
                throw new InvalidArgumentException("sysctl \"" + name + "\" is not allowed in the hosts ipc namespace");
            }
            if (name.contains("..") || name.endsWith(".") || name.contains("/")) {
                throw new InvalidArgumentException("sysctl '" + name + "' is not allowed");
            }
            out.put(name, e.getValue().asText());
        });
        return out;
    }

    /**
     * The limits as HostConfig fields, for an update to merge its fields over (Docker keeps what the update leaves
     * at zero) and check again.
     */
    static ObjectNode asHostConfig(Resources r) {
        ObjectNode hc = JsonNodeFactory.instance.objectNode();
        hc.put("Memory", r.memoryBytes());
        hc.put("MemorySwap", r.memorySwapBytes());
        hc.put("MemoryReservation", r.memoryReservationBytes());
        if (r.memorySwappiness() != null) hc.put("MemorySwappiness", r.memorySwappiness());
        hc.put("OomKillDisable", r.oomKillDisable());
        hc.put("NanoCpus", r.nanoCpus());
        hc.put("CpuShares", r.cpuShares());
        hc.put("CpuPeriod", r.cpu().period());
        hc.put("CpuQuota", r.cpu().quota());
        hc.put("CpuRealtimePeriod", r.cpu().realtimePeriod());
        hc.put("CpuRealtimeRuntime", r.cpu().realtimeRuntime());
        hc.put("CpusetCpus", r.cpu().cpusetCpus());
        hc.put("CpusetMems", r.cpu().cpusetMems());
        hc.put("PidsLimit", r.pidsLimit());
        hc.put("BlkioWeight", r.blockIo().weight());
        hc.set("BlkioDeviceReadBps", throttlesJson(r.blockIo().readBps()));
        hc.set("BlkioDeviceWriteBps", throttlesJson(r.blockIo().writeBps()));
        hc.set("BlkioDeviceReadIOps", throttlesJson(r.blockIo().readIops()));
        hc.set("BlkioDeviceWriteIOps", throttlesJson(r.blockIo().writeIops()));
        hc.put("ShmSize", r.process().shmSizeBytes());
        hc.put("OomScoreAdj", r.process().oomScoreAdj());
        ArrayNode ulimits = hc.putArray("Ulimits");
        r.process().ulimits().forEach(u -> ulimits.addObject().put("Name", u.name()).put("Hard", u.hard()).put("Soft", u.soft()));
        ObjectNode sysctls = hc.putObject("Sysctls");
        r.process().sysctls().forEach(sysctls::put);
        return hc;
    }

    static ArrayNode throttlesJson(List<Resources.ThrottleDevice> devices) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        devices.forEach(d -> a.addObject().put("Path", d.path()).put("Rate", d.rate()));
        return a;
    }
}
