package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.Humanize;
import io.berth.cli.format.OutputFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = "Show the history of an image")
public final class HistoryCommand extends ApiCommand {

    static final String DEFAULT_FORMAT = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    static final Map<String, String> HEADERS = Map.of("ID", "IMAGE", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT",
            "CreatedBy", "CREATED BY", "Size", "SIZE", "Comment", "COMMENT");

    @Option(names = {"-H", "--human"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Print sizes and dates in human readable format")
    boolean human = true;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Override
    public Integer call() {
        JsonNode history = client().imageHistory(image);
        Instant now = Instant.now();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode h : history) {
            Map<String, Object> row = new LinkedHashMap<>();
            String id = h.path("Id").asText();
            row.put("ID", id.equals("<missing>") || noTrunc ? id : Humanize.shortId(id));
            Instant created = Instant.ofEpochSecond(h.path("Created").asLong());
            row.put("CreatedSince", human ? Humanize.duration(Duration.between(created, now)) + " ago"
                    : created.atZone(ZoneId.systemDefault()).toOffsetDateTime().toString());
            row.put("CreatedAt", created.atZone(ZoneId.systemDefault()).toOffsetDateTime().toString());
            String createdBy = h.path("CreatedBy").asText().replace("\t", " ");
            row.put("CreatedBy", noTrunc ? createdBy : Humanize.ellipsis(createdBy, 45));
            row.put("Size", human ? Humanize.size(h.path("Size").asDouble(), 3) : h.path("Size").asText());
            row.put("Comment", h.path("Comment").asText());
            rows.add(row);
        }
        String template = format != null ? format : quiet ? "{{.ID}}" : DEFAULT_FORMAT;
        out().print(OutputFormat.parse(template).render(rows, HEADERS));
        return 0;
    }
}
