package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.format.Humanize;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Rows for {@code ps}: the fields docker's container formatter offers, computed from GET /containers/json. */
public final class ContainerRows {

    public static final String DEFAULT_FORMAT =
            "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    public static final Map<String, Object> HEADERS = Map.ofEntries(
            Map.entry("ID", "CONTAINER ID"), Map.entry("Image", "IMAGE"), Map.entry("Command", "COMMAND"),
            Map.entry("CreatedAt", "CREATED AT"), Map.entry("RunningFor", "CREATED"), Map.entry("Ports", "PORTS"),
            Map.entry("State", "STATE"), Map.entry("Status", "STATUS"), Map.entry("Size", "SIZE"),
            Map.entry("Names", "NAMES"), Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"),
            Map.entry("Networks", "NETWORKS"), Map.entry("LocalVolumes", "LOCAL VOLUMES"),
            Map.entry("Label", (Function<List<Object>, Object>) args -> "LABEL"));
    static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    private ContainerRows() {}

    public static Map<String, Object> row(JsonNode c, boolean trunc, Instant now) {
        Map<String, Object> row = new LinkedHashMap<>();
        String id = c.path("Id").asText();
        row.put("ID", trunc ? Humanize.shortId(id) : id);
        String image = c.path("Image").asText();
        if (trunc && image.startsWith("sha256:")) {
            image = Humanize.shortId(image);
        }
        row.put("Image", image);
        String command = c.path("Command").asText();
        row.put("Command", quote(trunc ? Humanize.ellipsis(command, 20) : command));
        Instant created = Instant.ofEpochSecond(c.path("Created").asLong());
        row.put("CreatedAt", GO_TIME.format(created.atZone(ZoneId.systemDefault())));
        row.put("RunningFor", Humanize.duration(Duration.between(created, now)) + " ago");
        row.put("Ports", ports(c.path("Ports")));
        row.put("State", c.path("State").asText());
        row.put("Status", c.path("Status").asText());
        String sizeRw = Humanize.size(c.path("SizeRw").asLong(), 3);
        long rootFs = c.path("SizeRootFs").asLong();
        row.put("Size", rootFs > 0 ? sizeRw + " (virtual " + Humanize.size(rootFs, 3) + ")" : sizeRw);
        row.put("Names", names(c.path("Names"), trunc));
        Map<String, String> labels = new TreeMap<>();
        c.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<String> labelPairs = new ArrayList<>();
        labels.forEach((k, v) -> labelPairs.add(k + "=" + v));
        row.put("Labels", String.join(",", labelPairs));
        Function<List<Object>, Object> label = args -> labels.getOrDefault(String.valueOf(args.getFirst()), "");
        row.put("Label", label);
        List<String> mounts = new ArrayList<>();
        for (JsonNode m : c.path("Mounts")) {
            String name = m.path("Name").asText(m.path("Source").asText());
            mounts.add(trunc ? Humanize.ellipsis(name, 15) : name);
        }
        row.put("Mounts", String.join(",", mounts));
        List<String> networks = new ArrayList<>();
        c.path("NetworkSettings").path("Networks").properties().forEach(e -> networks.add(e.getKey()));
        networks.sort(null);
        row.put("Networks", String.join(",", networks));
        long localVolumes = 0;
        for (JsonNode m : c.path("Mounts")) {
            if (m.path("Driver").asText().equals("local")) {
                localVolumes++;
            }
        }
        row.put("LocalVolumes", Long.toString(localVolumes));
        return row;
    }

    private static String names(JsonNode names, boolean trunc) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : names) {
            String name = n.asText();
            String stripped = name.startsWith("/") ? name.substring(1) : name;
            if (trunc && stripped.contains("/")) {
                continue;
            }
            out.add(stripped);
        }
        return String.join(",", out);
    }

    /**
     * The PORTS column as docker ps shows it: ports sorted by private port, IP, public port, type; a run of
     * consecutive ports published on the same port number of the same IP (or unpublished) shown as one range
     * ("0.0.0.0:8000-8001->8000-8001/tcp", "80-81/tcp"), a run listed when it breaks and the open ones after; a port
     * published on another number listed on its own, last.
     */
    static String ports(JsonNode ports) {
        record Port(String ip, int privatePort, int publicPort, String type) {}
        List<Port> sorted = new ArrayList<>();
        for (JsonNode p : ports) {
            sorted.add(new Port(p.path("IP").asText(""), p.path("PrivatePort").asInt(), p.path("PublicPort").asInt(),
                    p.path("Type").asText("tcp")));
        }
        sorted.sort(java.util.Comparator.comparingInt(Port::privatePort).thenComparing(Port::ip)
                .thenComparingInt(Port::publicPort).thenComparing(Port::type));
        Map<String, int[]> runs = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        List<String> remapped = new ArrayList<>();
        for (Port p : sorted) {
            String key = p.type();
            if (!p.ip().isEmpty()) {
                if (p.publicPort() != p.privatePort()) {
                    remapped.add(hostPort(p.ip(), Integer.toString(p.publicPort())) + "->" + p.privatePort() + "/" + p.type());
                    continue;
                }
                key = p.ip() + "/" + p.type();
            }
            int[] run = runs.get(key);
            if (run != null && p.privatePort() == run[1] + 1) {
                run[1] = p.privatePort();
                continue;
            }
            // a broken run is listed now; its key keeps its place for the run that follows (docker ps's order)
            if (run != null) out.add(portRun(key, run));
            runs.put(key, new int[] {p.privatePort(), p.privatePort()});
        }
        runs.forEach((key, run) -> out.add(portRun(key, run)));
        out.addAll(remapped);
        return String.join(", ", out);
    }

    private static String portRun(String key, int[] run) {
        int slash = key.lastIndexOf('/');
        String ip = slash < 0 ? "" : key.substring(0, slash);
        String type = key.substring(slash + 1);
        String range = run[0] == run[1] ? Integer.toString(run[0]) : run[0] + "-" + run[1];
        return (ip.isEmpty() ? range : hostPort(ip, range) + "->" + range) + "/" + type;
    }

    private static String hostPort(String ip, String port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** Go's strconv.Quote for the characters a command line holds. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\x%02x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
