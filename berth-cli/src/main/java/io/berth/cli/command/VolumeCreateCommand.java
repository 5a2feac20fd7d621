package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volume create}: prints the volume's name, as docker does. Options go to the daemon, which judges them. */
@Command(name = "create", description = "Create a volume", customSynopsis = "berth volume create [OPTIONS] [VOLUME]")
public final class VolumeCreateCommand extends ApiCommand {

    @Option(names = "--name", paramLabel = "string", description = "Specify volume name")
    String name;

    @Option(names = {"-d", "--driver"}, paramLabel = "string", description = "Specify volume driver name (default \"local\")")
    String driver = "local";

    @Option(names = {"-l", "--label"}, paramLabel = "list", description = "Set metadata for a volume")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options")
    List<String> options = new ArrayList<>();

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "0..1", paramLabel = "VOLUME")
    String volume;

    @Override
    public Integer call() {
        if (volume != null && name != null && !volume.equals(name)) {
            throw new CliException(1, "conflicting options: either specify --name or provide positional arg, not both");
        }
        String n = volume != null ? volume : name;
        String created = client().createVolume(n, driver, pairs(labels, false), pairs(options, true)).path("Name").asText();
        out().println(created);
        return 0;
    }

    /** KEY=VALUE flags; a label without '=' has an empty value, an option without '=' is an error (as docker's). */
    static Map<String, String> pairs(List<String> flags, boolean valueRequired) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            if (eq < 0 && valueRequired) throw new CliException(125, "invalid argument \"" + f + "\" for \"-o, --opt\" flag: bad format");
            out.put(eq < 0 ? f : f.substring(0, eq), eq < 0 ? "" : f.substring(eq + 1));
        }
        return out;
    }
}
