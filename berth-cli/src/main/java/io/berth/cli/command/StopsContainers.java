package io.berth.cli.command;

import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * stop and restart: the same two options (how long to wait before the kill, which signal to stop with), built in
 * code ({@link CommandModel}: no annotation proxies on a call, and these are typed in scripts as much as by hand).
 */
abstract class StopsContainers extends ForEachContainer implements CommandModel.InCode {

    Integer time;

    String signal;

    private final String name;
    private final String description;

    StopsContainers(String name, String description) {
        this.name = name;
        this.description = description;
    }

    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, name, description);
        model.add(OptionSpec.builder("-t", "--time", "--timeout").paramLabel("int")
                .description("Seconds to wait before killing the container"),
                Integer.class, v -> time = v, () -> time);
        model.add(OptionSpec.builder("-s", "--signal").paramLabel("string")
                .description("Signal to send to the container"),
                String.class, v -> signal = v, () -> signal);
        return withTargets(model, "CONTAINER");
    }
}
