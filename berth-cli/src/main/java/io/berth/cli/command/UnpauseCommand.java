package io.berth.cli.command;

import java.util.List;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

public final class UnpauseCommand extends ForEachContainer implements CommandModel.InCode {

    boolean help;

    List<String> containers;

    /** Built in code ({@link CommandModel}): no annotation proxies on a call. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "unpause", "Unpause all processes within one or more containers");
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
        client().unpauseContainer(container);
        return container;
    }

    @Override
    public Integer call() {
        return forEach(containers);
    }
}
