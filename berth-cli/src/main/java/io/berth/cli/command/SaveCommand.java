package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "save", description = "Save one or more images to a tar archive (streamed to STDOUT by default)")
public final class SaveCommand extends ApiCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    Path output;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    public Integer call() throws IOException {
        TarDownload.refuseTerminal(output, io(), "save");
        try (HttpResponse response = client().saveImages(images)) {
            TarDownload.write(response, output, io(), "save");
        }
        return 0;
    }
}
