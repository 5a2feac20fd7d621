package io.berth.cli.command;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", description = "Stop one or more running containers", mixinStandardHelpOptions = false)
public final class StopCommand extends ForEachContainer {

    @Option(names = {"-t", "--time", "--timeout"}, paramLabel = "int", description = "Seconds to wait before killing the container")
    Integer time;

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    String apply(String container) {
        client().stopContainer(container, time, signal);
        return container;
    }

    @Override
    public Integer call() {
        return forEach(containers);
    }
}
