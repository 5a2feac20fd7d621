package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rename", description = "Rename a container")
public final class RenameCommand extends ApiCommand {

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "NEW_NAME")
    String newName;

    @Override
    public Integer call() {
        client().renameContainer(container, newName);
        return 0;
    }
}
