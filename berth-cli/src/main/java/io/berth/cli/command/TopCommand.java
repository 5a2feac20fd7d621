package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.TabWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "top", description = "Display the running processes of a container",
        customSynopsis = "berth top CONTAINER [ps OPTIONS]")
public final class TopCommand extends ApiCommand {

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", paramLabel = "ps OPTIONS")
    List<String> psArgs = new ArrayList<>();

    @Override
    public Integer call() {
        JsonNode top = client().top(container, psArgs.isEmpty() ? null : String.join(" ", psArgs));
        TabWriter table = new TabWriter(20, 3);
        List<String> titles = new ArrayList<>();
        top.path("Titles").forEach(t -> titles.add(t.asText()));
        table.row(titles.toArray(String[]::new));
        for (JsonNode process : top.path("Processes")) {
            List<String> cells = new ArrayList<>();
            process.forEach(p -> cells.add(p.asText()));
            table.row(cells.toArray(String[]::new));
        }
        out().print(table.render());
        return 0;
    }
}
