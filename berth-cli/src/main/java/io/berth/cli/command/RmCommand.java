package io.berth.cli.command;

import java.util.List;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

public final class RmCommand extends ForEachContainer implements CommandModel.InCode {

    boolean force;

    boolean volumes;

    boolean link;

    boolean help;

    List<String> containers;

    /** Built in code ({@link CommandModel}): one of the commands typed most. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "rm", "Remove one or more containers");
        model.add(OptionSpec.builder("-f", "--force")
                .description("Force the removal of a running container (uses SIGKILL)"),
                boolean.class, v -> force = v, () -> force);
        model.add(OptionSpec.builder("-v", "--volumes")
                .description("Remove anonymous volumes associated with the container"),
                boolean.class, v -> volumes = v, () -> volumes);
        model.add(OptionSpec.builder("-l", "--link")
                .description("Remove the specified link"),
                boolean.class, v -> link = v, () -> link);
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
        if (link) {
            client().removeLink(container);
        } else {
            client().removeContainer(container, force, volumes);
        }
        return container;
    }

    @Override
    public Integer call() {
        return forEach(containers);
    }
}
