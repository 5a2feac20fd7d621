package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compose's merge rules for several {@code -f} files and for {@code extends} (spec 13-merge.md), on
 * normalised trees: mappings merged key by key, sequences appended (scalars once), {@code command},
 * {@code entrypoint} and {@code healthcheck.test} replaced, {@code ports} / {@code volumes} /
 * {@code secrets} / {@code configs} merged by their unique key, {@code !reset} removes and
 * {@code !override} replaces.
 */
final class Merge {
    private static final Set<String> REPLACED = Set.of("command", "entrypoint", "test");

    private Merge() {}

    /** Merges {@code over} into {@code base} (modified) and returns it. */
    static ObjectNode mappings(ObjectNode base, ObjectNode over, String path) {
        for (Map.Entry<String, JsonNode> e : over.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            String here = path.isEmpty() ? key : path + "." + key;
            if (value instanceof ObjectNode o && o.has(YamlTree.RESET)) {
                base.remove(key);
            } else if (value instanceof ObjectNode o && o.has(YamlTree.OVERRIDE)) {
                base.set(key, YamlMarkers.strip(o.get(YamlTree.OVERRIDE).deepCopy()));
            } else if (!base.has(key) || base.get(key).isNull()) {
                base.set(key, YamlMarkers.strip(value.deepCopy()));
            } else {
                base.set(key, values(base.get(key), value, key, here));
            }
        }
        return base;
    }

    private static JsonNode values(JsonNode base, JsonNode over, String key, String path) {
        if (over.isNull()) {
            return base;
        }
        if (base instanceof ObjectNode b && over instanceof ObjectNode o) {
            return mappings(b, o, path);
        }
        if (base instanceof ArrayNode b && over instanceof ArrayNode o && !REPLACED.contains(key)) {
            return switch (key) {
                case "ports" -> byKey(b, o, "host_ip", "target", "published", "protocol");
                case "volumes", "secrets", "configs" -> byKey(b, o, "target");
                default -> append(b, o);
            };
        }
        return YamlMarkers.strip(over.deepCopy());
    }

    private static ArrayNode append(ArrayNode base, ArrayNode over) {
        for (JsonNode item : over) {
            if (item.isValueNode() && contains(base, item)) {
                continue;
            }
            base.add(YamlMarkers.strip(item.deepCopy()));
        }
        return base;
    }

    private static boolean contains(ArrayNode a, JsonNode item) {
        for (JsonNode x : a) {
            if (x.equals(item)) return true;
        }
        return false;
    }

    private static ArrayNode byKey(ArrayNode base, ArrayNode over, String... keyFields) {
        List<JsonNode> merged = new ArrayList<>();
        base.forEach(merged::add);
        for (JsonNode item : over) {
            int at = -1;
            for (int i = 0; i < merged.size(); i++) {
                if (sameKey(merged.get(i), item, keyFields)) {
                    at = i;
                    break;
                }
            }
            JsonNode copy = YamlMarkers.strip(item.deepCopy());
            if (at < 0) {
                merged.add(copy);
            } else if (merged.get(at) instanceof ObjectNode b && copy instanceof ObjectNode o) {
                merged.set(at, mappings(b.deepCopy(), o, ""));
            } else {
                merged.set(at, copy);
            }
        }
        ArrayNode out = base.arrayNode();
        merged.forEach(out::add);
        return out;
    }

    private static boolean sameKey(JsonNode a, JsonNode b, String... fields) {
        for (String f : fields) {
            if (!a.path(f).asText("").equals(b.path(f).asText(""))) return false;
        }
        return true;
    }
}
