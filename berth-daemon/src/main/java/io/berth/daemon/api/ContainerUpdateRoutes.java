package io.berth.daemon.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.ContainerService;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.RestartPolicy;
import io.berth.runtime.Resources;

/**
 * `docker update` (POST /containers/{id}/update): the limits Docker lets an update change (memory, swap and
 * reservation, CPUs, CPU period/quota/shares, real-time CPU, cpuset, pids, block I/O weight and throttles) and
 * the restart policy. As in Docker a field left at its zero value keeps the container's setting; the result is
 * checked by the same rules as a create ({@link ResourceLimits}), applied to a running container's cgroup and
 * saved. Any other field with a value is refused by name (Docker would ignore it).
 */
public final class ContainerUpdateRoutes {
    private static final int MAX_BODY = 1024 * 1024;
    /** Numbers and strings whose zero value means "keep"; KernelMemory is read to be refused in ResourceLimits' words. */
    private static final Set<String> KEPT_UNLESS_SET = Set.of("Memory", "MemorySwap", "MemoryReservation", "KernelMemory",
            "NanoCpus", "CpuQuota", "CpuPeriod", "CpuShares", "CpuRealtimePeriod", "CpuRealtimeRuntime", "CpusetCpus",
            "CpusetMems", "BlkioWeight");
    /** Lists that replace the container's when present (Docker: a non-nil slice). */
    private static final Set<String> REPLACED_IF_PRESENT = Set.of("BlkioDeviceReadBps", "BlkioDeviceWriteBps",
            "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps");
    private static final Set<String> APPLIED = union(KEPT_UNLESS_SET, REPLACED_IF_PRESENT, Set.of("PidsLimit", "RestartPolicy"));

    private final ContainerService containers;
    private final ResourceLimits limits = new ResourceLimits(Runtime.getRuntime().availableProcessors());

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> s : sets) all.addAll(s);
        return Set.copyOf(all);
    }

    public ContainerUpdateRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public void register(Router router) {
        router.add("POST", "/containers/{id}/update", this::update);
    }

    private void update(HttpRequest rq, HttpResponse rs) throws Exception {
        JsonNode body = JsonBody.read(rq, MAX_BODY);
        if (!body.isMissingNode() && !body.isNull() && !body.isObject()) throw new InvalidArgumentException("update body must be a JSON object");
        body.properties().forEach(e -> {
            if (!APPLIED.contains(e.getKey()) && !isZero(e.getValue())) {
                throw new InvalidArgumentException("berth does not support updating " + e.getKey());
            }
        });
        containers.update(rq.pathParam("id"), spec -> updated(spec, body));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Warnings", null); // Docker's list of warnings: none, every limit is supported
        rs.json(200, answer);
    }

    private ContainerSpec updated(ContainerSpec spec, JsonNode body) {
        Resources now = spec.resources();
        long memory = body.path("Memory").asLong(0);
        long swap = body.path("MemorySwap").asLong(0);
        if (memory > 0 && swap == 0 && now.memorySwapBytes() > 0 && memory > now.memorySwapBytes()) {
            throw new InvalidArgumentException("Memory limit should be smaller than already set memoryswap limit, "
                    + "update the memoryswap at the same time");
        }
        // NanoCpus stands for a period and quota of its own: one kind cannot be updated while the other is set
        long nanoCpus = body.path("NanoCpus").asLong(0);
        if (nanoCpus > 0 && now.cpu().period() > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set");
        }
        if (nanoCpus > 0 && now.cpu().quota() > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set");
        }
        if (body.path("CpuPeriod").asLong(0) > 0 && now.nanoCpus() > 0) {
            throw new InvalidArgumentException("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
        }
        if (body.path("CpuQuota").asLong(0) > 0 && now.nanoCpus() > 0) {
            throw new InvalidArgumentException("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
        }
        ObjectNode merged = ResourceLimits.asHostConfig(now);
        for (String field : KEPT_UNLESS_SET) {
            if (!isZero(body.get(field))) merged.set(field, body.get(field));
        }
        for (String field : REPLACED_IF_PRESENT) {
            if (body.hasNonNull(field)) merged.set(field, body.get(field));
        }
        // a pointer in Docker's API: present means set, and 0 or -1 means unlimited
        if (body.hasNonNull("PidsLimit")) merged.set("PidsLimit", body.get("PidsLimit"));
        // the namespaces the sysctls are checked against again
        JsonNode created = ContainerView.createBody(spec).path("HostConfig");
        for (String mode : new String[] {"NetworkMode", "IpcMode"}) {
            if (created.hasNonNull(mode)) merged.set(mode, created.get(mode));
        }
        Resources resources = limits.check(merged, true).resources();

        RestartPolicy restart = spec.lifecycle().restartPolicy();
        if (!body.path("RestartPolicy").path("Name").asText("").isEmpty()) {
            restart = CreateRequestTranslator.restartPolicy(body.get("RestartPolicy"));
            if (spec.lifecycle().autoRemove() && !restart.name().equals("no")) {
                throw new InvalidArgumentException("Restart policy cannot be updated because AutoRemove is enabled for the container");
            }
        }
        return spec.toBuilder().resources(resources).restartPolicy(restart).build();
    }

    /** The value Docker's client sends for a setting the user did not give. */
    private static boolean isZero(JsonNode v) {
        return v == null || v.isNull() || (v.isNumber() && v.asLong() == 0 && v.asDouble() == 0)
                || (v.isTextual() && v.asText().isEmpty()) || (v.isBoolean() && !v.asBoolean())
                || ((v.isArray() || v.isObject()) && v.isEmpty());
    }
}
