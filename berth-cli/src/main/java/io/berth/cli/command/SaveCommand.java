package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.client.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        if (output == null && io().stdoutIsTerminal()) {
            throw new CliException(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }
        try (HttpResponse response = client().saveImages(images)) {
            if (output == null) {
                OutputStream out = out();
                response.body().transferTo(out);
                out.flush();
            } else {
                // Written beside the target and renamed so a failed save leaves no partial archive.
                Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".berth-save", ".tar");
                try {
                    Files.copy(response.body(), tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        return 0;
    }
}
