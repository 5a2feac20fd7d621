package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Removes the {@code !reset} / {@code !override} markers that {@link YamlTree} leaves for the merge. */
final class YamlMarkers {
    private YamlMarkers() {}

    static JsonNode strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has(YamlTree.OVERRIDE)) {
                return strip(o.get(YamlTree.OVERRIDE));
            }
            List<String> reset = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getValue() instanceof ObjectNode v && v.has(YamlTree.RESET)) {
                    reset.add(e.getKey());
                } else {
                    e.setValue(strip(e.getValue()));
                }
            }
            reset.forEach(o::remove);
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, strip(a.get(i)));
            }
        }
        return node;
    }
}
