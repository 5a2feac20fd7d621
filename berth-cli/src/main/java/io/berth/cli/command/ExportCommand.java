package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = "Export a container's filesystem as a tar archive")
public final class ExportCommand extends ApiCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    Path output;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() throws IOException {
        TarDownload.refuseTerminal(output, io(), "export");
        try (HttpResponse response = client().exportContainer(container)) {
            TarDownload.write(response, output, io(), "export");
        }
        return 0;
    }
}
