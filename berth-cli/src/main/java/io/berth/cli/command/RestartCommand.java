package io.berth.cli.command;

import java.util.List;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

public final class RestartCommand extends ForEachContainer implements CommandModel.InCode {

    Integer time;

    String signal;

    boolean help;

    List<String> containers;

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
        model.add(OptionSpec.builder("--help")
                .description("Print usage").usageHelp(true),
                boolean.class, v -> help = v, () -> help);
        model.addPositionalList(PositionalParamSpec.builder().paramLabel("CONTAINER").arity("1..*").required(true),
                String.class, v -> containers = v, () -> containers);
        spec = model.spec();
        return spec;
    }

    @Override
    String apply(String container) {
        client().restartContainer(container, time, signal);
        return container;
    }

    @Override
    public Integer call() {
        return forEach(containers);
    }
}
