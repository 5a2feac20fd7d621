package io.berth.daemon.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.health.Health;
import io.berth.runtime.health.HealthConfig;
import io.berth.runtime.health.HealthResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker's JSON for a healthcheck (Config.Healthcheck, an image's config) and for State.Health. */
final class HealthcheckJson {
    private HealthcheckJson() {
    }

    /** Config.Healthcheck as sent or stored in an image; null when absent. Durations are nanoseconds. */
    static HealthConfig parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (!node.isObject()) throw new InvalidArgumentException("Config.Healthcheck must be an object");
        List<String> test = CreateRequestTranslator.strings(node.path("Test"));
        return new HealthConfig(test, nanos(node, "Interval"), nanos(node, "Timeout"), nanos(node, "StartPeriod"),
                nanos(node, "StartInterval"), node.path("Retries").asInt(0));
    }

    private static long nanos(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return 0;
        if (!v.canConvertToLong()) throw new InvalidArgumentException("Config.Healthcheck." + field + " must be an integer (nanoseconds)");
        return v.asLong();
    }

    /** Docker's HealthConfig: Test and the fields that are set (the others are omitted, as Go's omitempty does). */
    static Map<String, Object> render(HealthConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!c.test().isEmpty()) m.put("Test", c.test());
        if (c.interval() != 0) m.put("Interval", c.interval());
        if (c.timeout() != 0) m.put("Timeout", c.timeout());
        if (c.startPeriod() != 0) m.put("StartPeriod", c.startPeriod());
        if (c.startInterval() != 0) m.put("StartInterval", c.startInterval());
        if (c.retries() != 0) m.put("Retries", c.retries());
        return m;
    }

    /** State.Health: Status, FailingStreak, Log (oldest first). */
    static Map<String, Object> render(Health h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", h.status().dockerName());
        m.put("FailingStreak", h.failingStreak());
        List<Map<String, Object>> log = new ArrayList<>();
        for (HealthResult r : h.log()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("Start", DockerTime.format(r.start()));
            e.put("End", DockerTime.format(r.end()));
            e.put("ExitCode", r.exitCode());
            e.put("Output", r.output());
            log.add(e);
        }
        m.put("Log", log);
        return m;
    }
}
