package io.berth.build.dockerfile;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.oci.GoDuration;
import io.berth.oci.Json;
import io.berth.oci.errors.InvalidArgumentException;

/**
 * A HEALTHCHECK instruction as an image config's {@code Healthcheck} ({@code Test}, durations in nanoseconds,
 * {@code Retries}): one conversion for a Dockerfile's instruction and for the {@code changes} of
 * {@code docker commit}/{@code docker import}, which Docker parses as Dockerfile lines too.
 */
public final class HealthcheckConfig {
    private HealthcheckConfig() {}

    public static JsonNode of(Instruction.Healthcheck h) {
        ObjectNode node = Json.mapper().createObjectNode();
        ArrayNode test = node.putArray("Test");
        h.test().forEach(test::add);
        for (Map.Entry<String, String> o : h.options().entrySet()) {
            switch (o.getKey()) {
                case "interval" -> node.put("Interval", GoDuration.nanos(o.getValue()));
                case "timeout" -> node.put("Timeout", GoDuration.nanos(o.getValue()));
                case "start-period" -> node.put("StartPeriod", GoDuration.nanos(o.getValue()));
                case "start-interval" -> node.put("StartInterval", GoDuration.nanos(o.getValue()));
                case "retries" -> node.put("Retries", Integer.parseInt(o.getValue()));
                default -> throw new InvalidArgumentException("unknown HEALTHCHECK flag --" + o.getKey());
            }
        }
        return node;
    }

    /** One {@code HEALTHCHECK ...} line of a commit's or import's changes, checked by the Dockerfile parser. */
    public static JsonNode ofChange(String line) {
        Dockerfile parsed = DockerfileParser.parse("changes", "FROM scratch\n" + line + "\n");
        List<Instruction> instructions = parsed.stages().getFirst().instructions();
        if (instructions.size() != 1 || !(instructions.getFirst() instanceof Instruction.Healthcheck h)) {
            throw new InvalidArgumentException("not one HEALTHCHECK instruction: " + line);
        }
        return of(h);
    }
}
