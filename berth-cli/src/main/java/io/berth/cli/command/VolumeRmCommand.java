package io.berth.cli.command;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Remove one or more volumes")
public final class VolumeRmCommand extends ForEachContainer {

    @Option(names = {"-f", "--force"}, description = "Force the removal of one or more volumes")
    boolean force;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "VOLUME")
    List<String> volumes;

    @Override
    String apply(String volume) {
        client().removeVolume(volume, force);
        return volume;
    }

    @Override
    public Integer call() {
        return forEach(volumes);
    }
}
