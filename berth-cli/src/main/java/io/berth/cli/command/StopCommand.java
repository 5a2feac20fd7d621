package io.berth.cli.command;

import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

public final class StopCommand extends ForEachContainer implements CommandModel.InCode {

    Integer time;

    String signal;

    /** Built in code ({@link CommandModel}): no annotation proxies on a call (typed in scripts as much as by hand). */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "stop", "Stop one or more running containers");
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
        client().stopContainer(container, time, signal);
        return container;
    }
}
