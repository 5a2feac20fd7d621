package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code create}: the create half of run; prints the new container's id. */
@Command(name = "create", description = "Create a new container",
        customSynopsis = "berth create [OPTIONS] IMAGE [COMMAND] [ARG...]")
public final class CreateCommand extends ApiCommand {

    @Mixin
    CreateOptions options;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

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
