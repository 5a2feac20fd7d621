package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Rows for {@code network ls}, with the docker CLI's fields, column titles and order (by name). */
final class NetworkRows {

    static final String DEFAULT_FORMAT = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
    static final Map<String, String> HEADERS = Map.of("ID", "NETWORK ID", "Name", "NAME", "Driver", "DRIVER",
            "Scope", "SCOPE", "IPv4", "IPV4", "IPv6", "IPV6", "Internal", "INTERNAL", "Labels", "LABELS",
            "CreatedAt", "CREATED AT");
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private NetworkRows() {}

    static Map<String, Object> row(JsonNode n, boolean noTrunc) {
        Map<String, Object> row = new LinkedHashMap<>();
        String id = n.path("Id").asText();
        row.put("ID", noTrunc || id.length() <= 12 ? id : id.substring(0, 12));
        row.put("Name", n.path("Name").asText());
        row.put("Driver", n.path("Driver").asText());
        row.put("Scope", n.path("Scope").asText());
        // EnableIPv4 came with API 1.47; the docker CLI shows false when a daemon (such as berth, 1.43) omits it.
        row.put("IPv4", Boolean.toString(n.path("EnableIPv4").asBoolean(false)));
        row.put("IPv6", Boolean.toString(n.path("EnableIPv6").asBoolean()));
        row.put("Internal", Boolean.toString(n.path("Internal").asBoolean()));
        StringJoiner labels = new StringJoiner(",");
        n.path("Labels").properties().forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
        row.put("Labels", labels.toString());
        row.put("CreatedAt", goTime(n.path("Created").asText()));
        return row;
    }

    static List<Map<String, Object>> rows(JsonNode networks, boolean noTrunc) {
        List<Map<String, Object>> rows = new ArrayList<>();
        networks.forEach(n -> rows.add(row(n, noTrunc)));
        rows.sort(Comparator.comparing(r -> (String) r.get("Name")));
        return rows;
    }

    /** Go's time.Time String() in UTC: "2006-01-02 15:04:05.999999999 +0000 UTC", trailing zeros of the fraction dropped. */
    static String goTime(String rfc3339) {
        Instant t;
        try {
            t = Instant.parse(rfc3339);
        } catch (DateTimeParseException e) {
            return rfc3339;
        }
        String fraction = "";
        if (t.getNano() != 0) {
            fraction = "." + String.format("%09d", t.getNano()).replaceAll("0+$", "");
        }
        return GO_TIME.format(t) + fraction + " +0000 UTC";
    }
}
