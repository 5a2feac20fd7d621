package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.format.OutputFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ls", description = "List networks")
public final class NetworkLsCommand extends ApiCommand {

    @Option(names = {"-q", "--quiet"}, description = "Only display network IDs")
    boolean quiet;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"driver=bridge\")")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--no-trunc", description = "Do not truncate the output")
    boolean noTrunc;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = NetworkRows.rows(client().listNetworks(Filters.parse(filters)), noTrunc);
        String template = quiet && format == null ? "{{.ID}}" : format != null ? format : NetworkRows.DEFAULT_FORMAT;
        out().print(OutputFormat.parse(template).render(rows, NetworkRows.HEADERS));
        out().flush();
        return 0;
    }
}
