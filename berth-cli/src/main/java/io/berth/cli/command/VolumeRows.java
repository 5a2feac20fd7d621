package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Rows for {@code volume ls}, with the docker CLI's fields and column titles. */
final class VolumeRows {

    static final String DEFAULT_FORMAT = "table {{.Driver}}\t{{.Name}}";
    static final Map<String, String> HEADERS = Map.of("Driver", "DRIVER", "Name", "VOLUME NAME",
            "Mountpoint", "MOUNTPOINT", "Labels", "LABELS", "Scope", "SCOPE", "Links", "LINKS", "Size", "SIZE",
            "CreatedAt", "CREATED", "Availability", "AVAILABILITY", "Group", "GROUP");

    private VolumeRows() {}

    static Map<String, Object> row(JsonNode v) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Name", v.path("Name").asText());
        row.put("Driver", v.path("Driver").asText());
        row.put("Scope", v.path("Scope").asText());
        row.put("Mountpoint", v.path("Mountpoint").asText());
        row.put("CreatedAt", v.path("CreatedAt").asText());
        StringJoiner labels = new StringJoiner(",");
        v.path("Labels").properties().forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
        row.put("Labels", labels.toString());
        // Links and Size come from /system/df only; docker prints N/A in ls.
        row.put("Links", "N/A");
        row.put("Size", "N/A");
        row.put("Availability", "N/A");
        row.put("Group", "N/A");
        return row;
    }

    static List<Map<String, Object>> rows(JsonNode volumes) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        volumes.forEach(v -> rows.add(row(v)));
        rows.sort(java.util.Comparator.comparing(r -> (String) r.get("Name")));
        return rows;
    }
}
