package io.berth.cli.command;

import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

public final class RestartCommand extends ForEachContainer implements CommandModel.InCode {

    Integer time;

    String signal;

    /** Built in code ({@link CommandModel}): no annotation proxies on a call. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "restart", "Restart one or more containers");
        model.add(OptionSpec.builder("-t", "--time", "--timeout").paramLabel("int")
                .description("Seconds to wait before killing the container"),
                Integer.class, v -> time = v, () -> time);
        model.add(OptionSpec.builder("-s", "--signal").paramLabel("string")
                .description("Signal to send to the container"),
                String.class, v -> signal = v, () -> signal);
        return withTargets(model, "CONTAINER");
    }

    @Override
    String apply(String container) {
        client().restartContainer(container, time, signal);
        return container;
    }
}
