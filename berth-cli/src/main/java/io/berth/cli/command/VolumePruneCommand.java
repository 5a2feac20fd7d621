package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.Humanize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code volume prune}: anonymous unused volumes, or with -a every unused one (the daemon's all=true filter). */
@Command(name = "prune", description = "Remove unused local volumes")
public final class VolumePruneCommand extends ApiCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<label>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        String warning = all ? "WARNING! This will remove all local volumes not used by at least one container."
                : "WARNING! This will remove anonymous local volumes not used by at least one container.";
        if (!force && !Confirm.ask(io(), warning)) {
            return 0;
        }
        Map<String, List<String>> f = Filters.parse(filters);
        if (all) {
            f.put("all", List.of("true"));
        }
        JsonNode report = client().pruneVolumes(f);
        JsonNode deleted = report.path("VolumesDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            out().println("Deleted Volumes:");
            deleted.forEach(name -> out().println(name.asText()));
            out().println();
        }
        out().println("Total reclaimed space: " + Humanize.size(report.path("SpaceReclaimed").asDouble()));
        return 0;
    }
}
