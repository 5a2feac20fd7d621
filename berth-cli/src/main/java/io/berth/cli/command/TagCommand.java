package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tag", description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        customSynopsis = "berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]")
public final class TagCommand extends ApiCommand {

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET_IMAGE")
    String target;

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(target);
        client().tagImage(source, ref.repository(), ref.tagOrLatest());
        return 0;
    }
}
