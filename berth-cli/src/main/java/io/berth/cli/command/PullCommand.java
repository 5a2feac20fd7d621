package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.progress.JsonMessageDisplay;
import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pull", description = "Download an image from a registry")
public final class PullCommand extends ApiCommand {

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "NAME[:TAG|@DIGEST]")
    String name;

    @Override
    public Integer call() {
        ImageRef ref = ImageRef.parse(name);
        if (ref.tag() == null && ref.digest() == null) {
            out().println("Using default tag: latest");
        }
        JsonMessageDisplay progress = quiet ? new JsonMessageDisplay(new PrintStream(OutputStream.nullOutputStream())) : stdoutProgress();
        ContainerCreator.pull(client(), ref, platform, env(), err(), progress);
        out().println(ref.familiar());
        return 0;
    }
}
