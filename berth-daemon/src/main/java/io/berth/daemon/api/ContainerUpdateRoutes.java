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
 * `docker update` (POST /containers/{id}/update): memory, swap, CPUs, CPU shares, pids limit and restart
 * policy. As in Docker a field left at its zero value keeps the container's setting; the result is checked by
 * the same rules as a create ({@link ResourceLimits}), applied to a running container's cgroup and saved.
 * Any other field with a value is refused by name.
 */
public final class ContainerUpdateRoutes {
    private static final int MAX_BODY = 1024 * 1024;
    private static final Set<String> APPLIED = Set.of("Memory", "MemorySwap", "NanoCpus", "CpuQuota", "CpuPeriod",
            "CpuShares", "PidsLimit", "RestartPolicy");

    private final ContainerService containers;
    private final ResourceLimits limits = new ResourceLimits(Runtime.getRuntime().availableProcessors());

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
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        merged.put("Memory", memory != 0 ? memory : now.memoryBytes());
        merged.put("MemorySwap", swap != 0 ? swap : now.memorySwapBytes());
        long nanoCpus = body.path("NanoCpus").asLong(0);
        long quota = body.path("CpuQuota").asLong(0);
        long period = body.path("CpuPeriod").asLong(0);
        if (nanoCpus != 0 || (quota == 0 && period == 0)) {
            merged.put("NanoCpus", nanoCpus != 0 ? nanoCpus : now.nanoCpus());
            if (quota != 0) merged.put("CpuQuota", quota);
            if (period != 0) merged.put("CpuPeriod", period);
        } else {
            merged.put("CpuQuota", quota);
            merged.put("CpuPeriod", period);
        }
        long shares = body.path("CpuShares").asLong(0);
        merged.put("CpuShares", shares != 0 ? shares : now.cpuShares());
        // a pointer in Docker's API: present means set, and 0 or -1 means unlimited
        merged.put("PidsLimit", body.hasNonNull("PidsLimit") ? body.get("PidsLimit").asLong() : now.pidsLimit());
        Resources resources = limits.from(merged);

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
