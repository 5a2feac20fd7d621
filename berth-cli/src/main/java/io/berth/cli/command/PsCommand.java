package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.OutputFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", description = "List containers")
public final class PsCommand extends ApiCommand {

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes")
    boolean size;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = {"-n", "--last"}, paramLabel = "int", defaultValue = "-1", description = "Show n last created containers (includes all states)")
    int last;

    @Option(names = {"-l", "--latest"}, description = "Show the latest created container (includes all states)")
    boolean latest;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public Integer call() {
        int limit = latest ? 1 : last;
        boolean showAll = all || limit > 0;
        String template = format != null ? format : quiet ? "{{.ID}}" : ContainerRows.DEFAULT_FORMAT;
        if (format == null && size && !quiet) {
            template = template + "\t{{.Size}}";
        }
        OutputFormat output = OutputFormat.parse(template);
        boolean wantSize = size || template.contains(".Size");
        JsonNode list = client().listContainers(showAll, limit, wantSize, Filters.parse(filters));
        Instant now = Instant.now();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode c : list) {
            rows.add(ContainerRows.row(c, !noTrunc, now));
        }
        out().print(output.render(rows, ContainerRows.HEADERS));
        out().flush();
        return 0;
    }
}
