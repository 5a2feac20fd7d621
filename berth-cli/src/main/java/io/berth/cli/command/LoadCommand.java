package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "load", description = "Load an image from a tar archive or STDIN")
public final class LoadCommand extends ApiCommand {

    @Option(names = {"-i", "--input"}, paramLabel = "string", description = "Read from tar archive file, instead of STDIN")
    Path input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output")
    boolean quiet;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() throws IOException {
        if (input == null && io().stdinIsTerminal()) {
            throw new CliException(1, "requested load from stdin, but stdin is empty");
        }
        try (InputStream tar = input == null ? in() : Files.newInputStream(input)) {
            client().loadImages(tar, quiet, stdoutProgress());
        }
        return 0;
    }
}
