package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = "Import the contents from a tarball to create a filesystem image",
        customSynopsis = "berth import [OPTIONS] file|- [REPOSITORY[:TAG]]")
public final class ImportCommand extends ApiCommand {

    @Option(names = {"-c", "--change"}, paramLabel = "list", description = "Apply Dockerfile instruction to the created image")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Set commit message for imported image")
    String message;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "file|-")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    @Override
    public Integer call() throws IOException {
        String repo = null;
        String tag = null;
        if (reference != null) {
            ImageRef ref = ImageRef.parse(reference);
            repo = ref.repository();
            tag = ref.tag();
        }
        try (InputStream tar = file.equals("-") ? in() : Files.newInputStream(Path.of(file))) {
            client().importImage(tar, repo, tag, changes, message, stdoutProgress());
        }
        return 0;
    }
}
