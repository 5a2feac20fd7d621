package io.berth.cli.command;

import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;

public final class PauseCommand extends ForEachContainer implements CommandModel.InCode {

    /** Built in code ({@link CommandModel}): no annotation proxies on a call. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "pause", "Pause all processes within one or more containers");
        return withTargets(model, "CONTAINER");
    }

    @Override
    String apply(String container) {
        client().pauseContainer(container);
        return container;
    }
}
