package io.berth.cli.command;

import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

public final class RmCommand extends ForEachContainer implements CommandModel.InCode {

    boolean force;

    boolean volumes;

    boolean link;

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
        return withTargets(model, "CONTAINER");
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
}
