package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code create}: the create half of run; prints the new container's id. */
public final class CreateCommand extends ApiCommand implements CommandModel.InCode {

    CreateOptions options = new CreateOptions();

    boolean help;

    /** Built in code ({@link CommandModel}), with {@link CreateOptions} as its mixin. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "create", "Create a new container");
        options.addTo(model);
        model.add(OptionSpec.builder("--help")
                .description("Print usage").usageHelp(true),
                boolean.class, v -> help = v, () -> help);

        spec = model.spec();
        spec.usageMessage().customSynopsis("berth create [OPTIONS] IMAGE [COMMAND] [ARG...]");
        return spec;
    }

    @Override
    public int apiErrorStatus() {
        return 125;
    }

    @Override
    public boolean verboseErrors() {
        return true;
    }

    @Override
    public Integer call() {
        ObjectNode body;
        try {
            body = options.toCreateBody(false, env());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CliException(125, "berth: " + e.getMessage() + "\n\nRun 'berth create --help' for more information");
        }
        out().println(ContainerCreator.create(client(), options, body, env(), io()));
        return 0;
    }
}
