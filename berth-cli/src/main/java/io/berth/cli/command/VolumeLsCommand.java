package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.format.OutputFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

public final class VolumeLsCommand extends ApiCommand implements CommandModel.InCode {

    boolean quiet;

    List<String> filters = new ArrayList<>();

    String format;

    boolean help;

    /** Built in code ({@link CommandModel}): no annotation proxies on a call (volume ls). */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "ls", "List volumes");
        model.add(OptionSpec.builder("-q", "--quiet")
                .description("Only display volume names"),
                boolean.class, v -> quiet = v, () -> quiet);
        model.addList(OptionSpec.builder("-f", "--filter").paramLabel("filter")
                .description("Provide filter values (e.g. \"dangling=true\")"),
                String.class, v -> filters = v, () -> filters);
        model.add(OptionSpec.builder("--format").paramLabel("string")
                .description("Format output using a custom template"),
                String.class, v -> format = v, () -> format);
        model.add(OptionSpec.builder("--help")
                .description("Print usage").usageHelp(true),
                boolean.class, v -> help = v, () -> help);
        spec = model.spec();
        return spec;
    }

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = VolumeRows.rows(client().listVolumes(Filters.parse(filters)).path("Volumes"));
        String template = quiet && format == null ? "{{.Name}}" : format != null ? format : VolumeRows.DEFAULT_FORMAT;
        out().print(OutputFormat.parse(template).render(rows, VolumeRows.HEADERS));
        out().flush();
        return 0;
    }
}
