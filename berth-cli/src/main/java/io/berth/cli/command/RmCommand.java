package io.berth.cli.command;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Remove one or more containers")
public final class RmCommand extends ForEachContainer {

    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container")
    boolean volumes;

    @Option(names = {"-l", "--link"}, description = "Remove the specified link")
    boolean link;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    String apply(String container) {
        if (link) {
            client().removeLink(container);
        } else {
            client().removeContainer(container, force, volumes);
        }
        return container;
    }

    @Override
    public Integer call() {
        return forEach(containers);
    }
}
