package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.format.OutputFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

public final class NetworkLsCommand extends ApiCommand implements CommandModel.InCode {

    boolean quiet;

    List<String> filters = new ArrayList<>();

    String format;

    boolean noTrunc;

    boolean help;

    /** Built in code ({@link CommandModel}): no annotation proxies on a call (network ls). */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "ls", "List networks");
        model.add(OptionSpec.builder("-q", "--quiet")
                .description("Only display network IDs"),
                boolean.class, v -> quiet = v, () -> quiet);
        model.addList(OptionSpec.builder("-f", "--filter").paramLabel("filter")
                .description("Provide filter values (e.g. \"driver=bridge\")"),
                String.class, v -> filters = v, () -> filters);
        model.add(OptionSpec.builder("--format").paramLabel("string")
                .description("Format output using a custom template"),
                String.class, v -> format = v, () -> format);
        model.add(OptionSpec.builder("--no-trunc")
                .description("Do not truncate the output"),
                boolean.class, v -> noTrunc = v, () -> noTrunc);
        model.add(OptionSpec.builder("--help")
                .description("Print usage").usageHelp(true),
                boolean.class, v -> help = v, () -> help);
        spec = model.spec();
        return spec;
    }

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = NetworkRows.rows(client().listNetworks(Filters.parse(filters)), noTrunc);
        String template = quiet && format == null ? "{{.ID}}" : format != null ? format : NetworkRows.DEFAULT_FORMAT;
        out().print(OutputFormat.parse(template).render(rows, NetworkRows.HEADERS));
        out().flush();
        return 0;
    }
}
