package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.Humanize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Remove build cache")
public final class BuilderPruneCommand extends ApiCommand {

    @Option(names = {"-a", "--all"}, description = "Remove all unused build cache, not just dangling ones")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        String warning = all ? "WARNING! This will remove all build cache."
                : "WARNING! This will remove all dangling build cache.";
        if (!force && !Confirm.ask(io(), warning)) {
            return 0;
        }
        JsonNode report = client().pruneBuildCache(all);
        JsonNode deleted = report.path("CachesDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            out().println("Deleted build cache objects:");
            deleted.forEach(id -> out().println(id.asText()));
            out().println();
        }
        out().println("Total reclaimed space: " + Humanize.size(report.path("SpaceReclaimed").asDouble()));
        return 0;
    }
}
