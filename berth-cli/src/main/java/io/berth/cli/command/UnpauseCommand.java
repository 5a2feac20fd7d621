package io.berth.cli.command;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "unpause", description = "Unpause all processes within one or more containers")
public final class UnpauseCommand extends ForEachContainer {

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    String apply(String container) {
        client().unpauseContainer(container);
        return container;
    }

    @Override
    public Integer call() {
        return forEach(containers);
    }
}
