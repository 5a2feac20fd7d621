package io.berth.cli.command;

import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

public final class KillCommand extends ForEachContainer implements CommandModel.InCode {

    String signal;

    /** Built in code ({@link CommandModel}): no annotation proxies on a call (typed in scripts as much as by hand). */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "kill", "Kill one or more running containers");
        model.add(OptionSpec.builder("-s", "--signal").paramLabel("string")
                .description("Signal to send to the container"),
                String.class, v -> signal = v, () -> signal);
        return withTargets(model, "CONTAINER");
    }

    @Override
    String apply(String container) {
        client().killContainer(container, signal);
        return container;
    }
}
