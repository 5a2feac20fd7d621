package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.Humanize;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Remove all stopped containers")
public final class ContainerPruneCommand extends ApiCommand {

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        if (!force && !Confirm.ask(io(), "WARNING! This will remove all stopped containers.")) {
            return 0;
        }
        JsonNode report = client().pruneContainers(Filters.parse(filters));
        JsonNode deleted = report.path("ContainersDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            out().println("Deleted Containers:");
            deleted.forEach(id -> out().println(id.asText()));
            out().println();
        }
        out().println("Total reclaimed space: " + Humanize.size(report.path("SpaceReclaimed").asDouble()));
        return 0;
    }
}
