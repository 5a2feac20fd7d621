package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "Inspect changes to files or directories on a container's filesystem")
public final class DiffCommand extends ApiCommand {
    /** Docker's letters for the change kinds 0, 1, 2. */
    private static final String KINDS = "CAD";

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() {
        for (JsonNode change : client().containerChanges(container)) {
            int kind = change.path("Kind").asInt();
            out().println((kind >= 0 && kind < KINDS.length() ? KINDS.charAt(kind) : '?') + " " + change.path("Path").asText());
        }
        return 0;
    }
}
