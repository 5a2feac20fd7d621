package io.berth.cli.command;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "wait", description = "Block until one or more containers stop, then print their exit codes")
public final class WaitCommand extends ForEachContainer {

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    String apply(String container) {
        return client().waitContainer(container, "not-running").path("StatusCode").asText();
    }

    @Override
    public Integer call() {
        return forEach(containers);
    }
}
