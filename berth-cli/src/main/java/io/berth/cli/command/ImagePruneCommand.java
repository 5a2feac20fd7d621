package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.Humanize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Remove unused images")
public final class ImagePruneCommand extends ApiCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        String warning = all ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.";
        if (!force && !Confirm.ask(io(), warning)) {
            return 0;
        }
        Map<String, List<String>> f = Filters.parse(filters);
        f.put("dangling", List.of(all ? "false" : "true"));
        JsonNode report = client().pruneImages(f);
        JsonNode deleted = report.path("ImagesDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            out().println("Deleted Images:");
            for (JsonNode d : deleted) {
                if (d.hasNonNull("Untagged")) {
                    out().println("untagged: " + d.get("Untagged").asText());
                }
                if (d.hasNonNull("Deleted")) {
                    out().println("deleted: " + d.get("Deleted").asText());
                }
            }
            out().println();
        }
        out().println("Total reclaimed space: " + Humanize.size(report.path("SpaceReclaimed").asDouble()));
        return 0;
    }
}
