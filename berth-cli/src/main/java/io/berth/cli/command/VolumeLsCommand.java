package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.format.OutputFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ls", description = "List volumes")
public final class VolumeLsCommand extends ApiCommand {

    @Option(names = {"-q", "--quiet"}, description = "Only display volume names")
    boolean quiet;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"dangling=true\")")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = VolumeRows.rows(client().listVolumes(Filters.parse(filters)).path("Volumes"));
        String template = quiet && format == null ? "{{.Name}}" : format != null ? format : VolumeRows.DEFAULT_FORMAT;
        out().print(OutputFormat.parse(template).render(rows, VolumeRows.HEADERS));
        out().flush();
        return 0;
    }
}
