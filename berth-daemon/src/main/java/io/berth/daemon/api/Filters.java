package io.berth.daemon.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.oci.errors.InvalidArgumentException;

/**
 * The `filters` query parameter: JSON mapping a key to values, either {"status":{"running":true}}
 * (current clients) or {"status":["running"]} (old ones).
 */
public record Filters(Map<String, List<String>> values) {

    public static Filters parse(String json) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (json == null || json.isBlank()) return new Filters(values);
        JsonNode root;
        try {
            root = ApiJson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new InvalidArgumentException("invalid filters: " + json);
        }
        if (!root.isObject()) throw new InvalidArgumentException("invalid filters: " + json);
        root.properties().forEach(e -> {
            List<String> list = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isArray()) v.forEach(x -> list.add(x.asText()));
            else if (v.isObject()) v.properties().forEach(x -> { if (x.getValue().asBoolean(true)) list.add(x.getKey()); });
            else list.add(v.asText());
            values.put(e.getKey(), list);
        });
        return new Filters(values);
    }

    public List<String> get(String key) {
        return values.getOrDefault(key, List.of());
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** Rejects keys the endpoint does not know, as Docker does ("invalid filter 'x'"). */
    public Filters allowOnly(String... keys) {
        for (String k : values.keySet()) {
            if (!List.of(keys).contains(k)) throw new InvalidArgumentException("invalid filter '" + k + "'");
        }
        return this;
    }

    /** label=key or label=key=value against a label map. */
    public static boolean labelMatches(String filter, Map<String, String> labels) {
        int eq = filter.indexOf('=');
        if (eq < 0) return labels.containsKey(filter);
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }
}
