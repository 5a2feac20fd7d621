package io.berth.daemon.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.daemon.http.ApiJson;
import io.berth.oci.Platform;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.NetworkSpec;
import io.berth.runtime.Resources;

/**
 * What the classic {@code POST /build} query asks of its RUN containers besides the network: --add-host
 * ({@code extrahosts}), --shm-size, --ulimit, and the limits the docker CLI's {@code build --memory --memory-swap
 * --cpu-shares --cpuset-cpus --cpuset-mems --cpu-period --cpu-quota} send (docker-py's {@code container_limits}), each
 * checked by container create's rules and messages before the context is read. Build options berth cannot honour
 * are refused by name, never dropped: --cgroup-parent, --security-opt, --squash, BuildKit's outputs and version 2, an
 * isolation other than {@code default} (Docker's message), and a platform other than this machine's (RUN steps run
 * here, without emulation). {@code rm} and {@code forcerm} need nothing: berth removes every RUN container after its
 * step, failed or not.
 */
record BuildRunOptions(List<NetworkSpec.HostEntry> extraHosts, Resources resources) {
    /** Query parameter → HostConfig field, for the numeric limits (int64, as create takes them). */
    private static final Map<String, String> NUMERIC_LIMITS = Map.of("memory", "Memory", "memswap", "MemorySwap",
            "cpushares", "CpuShares", "cpuperiod", "CpuPeriod", "cpuquota", "CpuQuota", "shmsize", "ShmSize");
    /** Query parameter → HostConfig field, for the cpusets. */
    private static final Map<String, String> CPUSETS = Map.of("cpusetcpus", "CpusetCpus", "cpusetmems", "CpusetMems");
    /** Options that change how RUN containers run in ways berth's builder does not apply, with their CLI flag. */
    private static final Map<String, String> REFUSED = Map.of("cgroupparent", "--cgroup-parent", "securityopt", "--security-opt");

    static BuildRunOptions from(Map<String, List<String>> query, ResourceLimits limits) {
        refuseWhatIsNotApplied(query);
        List<String> hosts = new ArrayList<>();
        for (String v : query.getOrDefault("extrahosts", List.of())) {
            for (String entry : v.split(",")) if (!entry.isBlank()) hosts.add(entry.strip());
        }
        ObjectNode hostConfig = ApiJson.MAPPER.createObjectNode();
        for (var e : NUMERIC_LIMITS.entrySet()) {
            String v = first(query, e.getKey());
            if (v.isEmpty()) continue;
            try {
                hostConfig.put(e.getValue(), Long.parseLong(v));
            } catch (NumberFormatException bad) {
                throw new InvalidArgumentException("invalid " + e.getKey() + ": " + v);
            }
        }
        for (var e : CPUSETS.entrySet()) {
            String v = first(query, e.getKey());
            if (!v.isEmpty()) hostConfig.put(e.getValue(), v);
        }
        String ulimits = first(query, "ulimits");
        if (!ulimits.isEmpty() && !ulimits.equals("null")) {
            try {
                hostConfig.set("Ulimits", ApiJson.MAPPER.readTree(ulimits));
            } catch (IOException e) {
                throw new InvalidArgumentException("invalid ulimits: " + e.getMessage());
            }
            if (!hostConfig.get("Ulimits").isArray()) throw new InvalidArgumentException("invalid ulimits: not a list");
        }
        return new BuildRunOptions(ContainerNetworkRequests.extraHosts(hosts), limits.from(hostConfig));
    }

    private static void refuseWhatIsNotApplied(Map<String, List<String>> query) {
        for (var e : REFUSED.entrySet()) {
            if (query.getOrDefault(e.getKey(), List.of()).stream().anyMatch(v -> !v.isBlank())) {
                throw new InvalidArgumentException("berth does not support build " + e.getValue() + " (" + e.getKey() + ")");
            }
        }
        String isolation = first(query, "isolation");
        if (!isolation.isEmpty() && !isolation.equalsIgnoreCase("default")) {
            throw new InvalidArgumentException("Unsupported isolation: \"" + isolation + "\"");
        }
        if (Set.of("1", "true").contains(first(query, "squash").toLowerCase(java.util.Locale.ROOT))) {
            throw new InvalidArgumentException("squash is only supported with experimental mode");
        }
        String outputs = first(query, "outputs");
        if (!outputs.isEmpty() && !outputs.equals("null") && !outputs.equals("[]")) {
            throw new InvalidArgumentException("berth does not support build outputs: the classic builder only makes images");
        }
        String version = first(query, "version");
        if (!version.isEmpty() && !version.equals("1")) {
            throw new InvalidArgumentException("berth offers the classic builder only (version 1), not builder version " + version);
        }
        String platform = first(query, "platform");
        if (!platform.isEmpty()) {
            Platform asked;
            try {
                asked = Platform.parse(platform);
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException(e.getMessage());
            }
            Platform host = Platform.host();
            if (!host.accepts(asked)) {
                throw new InvalidArgumentException("berth builds for " + host.format() + " only (its RUN steps run on this machine), not for "
                        + asked.format());
            }
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() || values.getFirst() == null ? "" : values.getFirst().strip();
    }
}
