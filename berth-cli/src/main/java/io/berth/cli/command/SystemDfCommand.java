package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.Humanize;
import io.berth.cli.format.OutputFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "df", description = "Show berth disk usage")
public final class SystemDfCommand extends ApiCommand {

    static final String DEFAULT_FORMAT = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    static final Map<String, String> HEADERS = Map.of("Type", "TYPE", "TotalCount", "TOTAL", "Active", "ACTIVE",
            "Size", "SIZE", "Reclaimable", "RECLAIMABLE");

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        out().print(OutputFormat.parse(format == null ? DEFAULT_FORMAT : format).render(rows(client().systemDf()), HEADERS));
        return 0;
    }

    public static List<Map<String, Object>> rows(JsonNode df) {
        long imagesTotal = df.path("LayersSize").asLong();
        long used = 0;
        int activeImages = 0;
        for (JsonNode i : df.path("Images")) {
            if (i.path("Containers").asLong() > 0) {
                activeImages++;
                long size = i.path("Size").asLong();
                long shared = i.path("SharedSize").asLong();
                if (size != -1 && shared != -1) {
                    used += size - shared;
                }
            }
        }
        long containerSize = 0;
        long containerReclaimable = 0;
        int activeContainers = 0;
        for (JsonNode c : df.path("Containers")) {
            long rw = c.path("SizeRw").asLong();
            containerSize += rw;
            String state = c.path("State").asText();
            if (state.equals("running") || state.equals("paused") || state.equals("restarting")) {
                activeContainers++;
            } else {
                containerReclaimable += rw;
            }
        }
        long volumeSize = 0;
        long volumeReclaimable = 0;
        int activeVolumes = 0;
        for (JsonNode v : df.path("Volumes")) {
            long size = v.path("UsageData").path("Size").asLong();
            if (size > 0) {
                volumeSize += size;
            }
            if (v.path("UsageData").path("RefCount").asLong() > 0) {
                activeVolumes++;
            } else if (size > 0) {
                volumeReclaimable += size;
            }
        }
        long cacheSize = 0;
        long cacheReclaimable = 0;
        int activeCache = 0;
        for (JsonNode b : df.path("BuildCache")) {
            boolean shared = b.path("Shared").asBoolean();
            long size = b.path("Size").asLong();
            if (!shared) {
                cacheSize += size;
            }
            if (b.path("InUse").asBoolean()) {
                activeCache++;
            } else if (!shared) {
                cacheReclaimable += size;
            }
        }
        return List.of(
                row("Images", df.path("Images").size(), activeImages, imagesTotal, imagesTotal - used),
                row("Containers", df.path("Containers").size(), activeContainers, containerSize, containerReclaimable),
                row("Local Volumes", df.path("Volumes").size(), activeVolumes, volumeSize, volumeReclaimable),
                row("Build Cache", df.path("BuildCache").size(), activeCache, cacheSize, cacheReclaimable));
    }

    private static Map<String, Object> row(String type, int total, int active, long size, long reclaimable) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Type", type);
        row.put("TotalCount", Integer.toString(total));
        row.put("Active", Integer.toString(active));
        row.put("Size", Humanize.size(size));
        String r = Humanize.size(reclaimable);
        row.put("Reclaimable", size > 0 ? r + " (" + (reclaimable * 100 / size) + "%)" : r);
        return row;
    }
}
