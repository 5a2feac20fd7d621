package io.berth.cli.command;

import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;

public final class WaitCommand extends ForEachContainer implements CommandModel.InCode {

    /** Built in code ({@link CommandModel}): no annotation proxies on a call (typed in scripts as much as by hand). */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "wait", "Block until one or more containers stop, then print their exit codes");
        return withTargets(model, "CONTAINER");
    }

    @Override
    String apply(String container) {
        return client().waitContainer(container, "not-running").path("StatusCode").asText();
    }
}
