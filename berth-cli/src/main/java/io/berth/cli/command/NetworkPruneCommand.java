package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code network prune}: user networks no container uses (the daemon decides which). */
@Command(name = "prune", description = "Remove all unused networks")
public final class NetworkPruneCommand extends ApiCommand {

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        if (!force && !Confirm.ask(io(), "WARNING! This will remove all custom networks not used by at least one container.")) {
            return 0;
        }
        JsonNode deleted = client().pruneNetworks(Filters.parse(filters)).path("NetworksDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            out().println("Deleted Networks:");
            deleted.forEach(name -> out().println(name.asText()));
            out().println();
        }
        return 0;
    }
}
