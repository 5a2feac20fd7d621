package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.client.JsonTree;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code com.docker.compose.config-hash} label: SHA-256 of the service's normalised config as JSON,
 * leaving out what Compose leaves out because it does not change the container (build, pull_policy,
 * scale, deploy.replicas, depends_on, profiles). Keys are sorted so that the hash does not depend on
 * the order of the YAML; an unchanged service keeps its container, a changed one is recreated.
 */
final class ConfigHash {
    private ConfigHash() {}

    static String of(JsonNode service) {
        return of(service, null);
    }

    /**
     * With the id of the image the container runs, as Compose hashes its image label with the service: a
     * rebuilt or newly pulled image changes the hash, so {@code up} recreates the container.
     */
    static String of(JsonNode service, String imageId) {
        ObjectNode copy = service.deepCopy();
        if (imageId != null) copy.put("\u0000image", imageId);
        for (String k : new String[] {"build", "pull_policy", "scale", "depends_on", "profiles"}) copy.remove(k);
        if (copy.get("deploy") instanceof ObjectNode d) {
            d.remove("replicas");
            if (d.isEmpty()) copy.remove("deploy");
        }
        try {
            // JsonTree writes what toString writes (so hashes are unchanged) without building an ObjectMapper
            byte[] json = JsonTree.write(canonical(copy)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode canonical(JsonNode n) {
        if (n instanceof ObjectNode o) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ProjectLoader.names(o).stream().sorted().forEach(k -> out.set(k, canonical(o.get(k))));
            return out;
        }
        if (n instanceof ArrayNode a) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            a.forEach(x -> out.add(canonical(x)));
            return out;
        }
        return n;
    }
}
