package io.berth.cli.command;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill", description = "Kill one or more running containers")
public final class KillCommand extends ForEachContainer {

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    String apply(String container) {
        client().killContainer(container, signal);
        return container;
    }

    @Override
    public Integer call() {
        return forEach(containers);
    }
}
