package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CommandModel;
import io.berth.cli.format.OutputFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ps}: its model is built in code ({@link CommandModel}), being the command typed most. */
public final class PsCommand extends ApiCommand implements CommandModel.InCode {

    boolean all;
    boolean quiet;
    boolean noTrunc;
    boolean size;
    List<String> filters = new ArrayList<>();
    String format;
    int last;
    boolean latest;

    @Override
    public CommandSpec model() {
        spec = CommandModel.of(this, "ps", "List containers")
                .flag(v -> all = v, () -> all, "Show all containers (default shows just running)", "-a", "--all")
                .flag(v -> quiet = v, () -> quiet, "Only display container IDs", "-q", "--quiet")
                .flag(v -> noTrunc = v, () -> noTrunc, "Don't truncate output", "--no-trunc")
                .flag(v -> size = v, () -> size, "Display total file sizes", "-s", "--size")
                .list(String.class, v -> filters = v, () -> filters, "filter",
                        "Filter output based on conditions provided", "-f", "--filter")
                .option(String.class, v -> format = v, () -> format, "string",
                        "Format output using a custom template", "--format")
                .optionWithDefault(int.class, v -> last = v, () -> last, "int", "-1",
                        "Show n last created containers (includes all states)", "-n", "--last")
                .flag(v -> latest = v, () -> latest,
                        "Show the latest created container (includes all states)", "-l", "--latest")
                .help()
                .spec();
        return spec;
    }

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
