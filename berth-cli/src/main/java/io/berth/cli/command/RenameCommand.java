package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

public final class RenameCommand extends ApiCommand implements CommandModel.InCode {

    boolean help;

    String container;

    String newName;

    /** Built in code ({@link CommandModel}): no annotation proxies on a call. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "rename", "Rename a container");
        model.add(OptionSpec.builder("--help")
                .description("Print usage").usageHelp(true),
                boolean.class, v -> help = v, () -> help);
        model.positional("0", v -> container = v, () -> container, "CONTAINER");
        model.positional("1", v -> newName = v, () -> newName, "NEW_NAME");
        spec = model.spec();
        return spec;
    }

    @Override
    public Integer call() {
        client().renameContainer(container, newName);
        return 0;
    }
}
