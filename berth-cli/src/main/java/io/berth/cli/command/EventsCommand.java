package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.GoTemplate;
import io.berth.client.EngineClient;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "events", description = "Get real time events from the server")
public final class EventsCommand extends ApiCommand {

    static final DateTimeFormatter RFC3339_NANO_FIXED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

    @Option(names = "--since", paramLabel = "string", description = "Show all events created since timestamp")
    String since;

    @Option(names = "--until", paramLabel = "string", description = "Stream events until this timestamp")
    String until;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        Instant now = Instant.now();
        GoTemplate template = format == null ? null
                : GoTemplate.parse(format.equals("json") ? "{{json .}}" : format.replace("\\t", "\t").replace("\\n", "\n"));
        client().events(Timestamps.toApi(since, now), Timestamps.toApi(until, now), Filters.parse(filters), event -> {
            if (template != null) {
                out().println(template.execute(EngineClient.json().convertValue(event, Object.class)));
            } else {
                out().println(line(event));
            }
            out().flush();
        });
        return 0;
    }

    /** docker's default event line: time, type, action, actor id, sorted attributes. */
    public static String line(JsonNode event) {
        StringBuilder sb = new StringBuilder();
        long nanos = event.path("timeNano").asLong();
        long seconds = event.path("time").asLong();
        Instant t = nanos != 0 ? Instant.ofEpochSecond(0, nanos) : seconds != 0 ? Instant.ofEpochSecond(seconds) : null;
        if (t != null) {
            sb.append(RFC3339_NANO_FIXED.format(t.atZone(ZoneId.systemDefault()))).append(' ');
        }
        sb.append(event.path("Type").asText()).append(' ').append(event.path("Action").asText()).append(' ')
                .append(event.path("Actor").path("ID").asText());
        TreeMap<String, String> attrs = new TreeMap<>();
        event.path("Actor").path("Attributes").properties().forEach(e -> attrs.put(e.getKey(), e.getValue().asText()));
        if (!attrs.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            attrs.forEach((k, v) -> pairs.add(k + "=" + v));
            sb.append(" (").append(String.join(", ", pairs)).append(')');
        }
        return sb.toString();
    }
}
