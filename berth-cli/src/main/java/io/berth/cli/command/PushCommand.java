package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.auth.DockerConfigFile;
import io.berth.cli.auth.RepositoryName;
import io.berth.cli.progress.JsonMessageDisplay;
import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code push}: the daemon uploads the image; the credentials for its registry come from the config file. */
@Command(name = "push", description = "Upload an image to a registry",
        customSynopsis = "berth push [OPTIONS] NAME[:TAG]")
public final class PushCommand extends ApiCommand {

    @Option(names = {"-a", "--all-tags"}, description = "Push all tags of an image to the repository")
    boolean allTags;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Option(names = "--compression", paramLabel = "string",
            description = "Compression of layers stored uncompressed: gzip (default), zstd or none")
    String compression;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "NAME[:TAG]")
    String name;

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(name);
        RepositoryName repository = RepositoryName.parse(name);
        if (ref.digest() != null) {
            throw new CliException("cannot push a digest reference");
        }
        if (allTags && ref.tag() != null) {
            throw new CliException("tag can't be used with --all-tags/-a");
        }
        String tag = ref.tag();
        if (!allTags && tag == null) {
            tag = "latest";
            out().println("Using default tag: latest");
        }
        String qualified = repository.full() + (tag != null ? ":" + tag : "");
        JsonMessageDisplay progress = quiet ? new JsonMessageDisplay(new PrintStream(OutputStream.nullOutputStream())) : stdoutProgress();
        client().pushImage(repository.familiar(), allTags ? "" : tag, compression,
                DockerConfigFile.load(env()).authFor(repository), progress);
        if (quiet) {
            out().println(qualified);
        }
        return 0;
    }
}
