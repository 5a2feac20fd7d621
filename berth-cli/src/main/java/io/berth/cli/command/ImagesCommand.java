package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.format.OutputFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

public final class ImagesCommand extends ApiCommand implements CommandModel.InCode {

    boolean all;

    boolean quiet;

    boolean noTrunc;

    boolean digests;

    List<String> filters = new ArrayList<>();

    String format;

    boolean help;

    String reference;

    /** Built in code ({@link CommandModel}): one of the commands typed most. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "images", "List images");
        model.add(OptionSpec.builder("-a", "--all")
                .description("Show all images (default hides intermediate images)"),
                boolean.class, v -> all = v, () -> all);
        model.add(OptionSpec.builder("-q", "--quiet")
                .description("Only show image IDs"),
                boolean.class, v -> quiet = v, () -> quiet);
        model.add(OptionSpec.builder("--no-trunc")
                .description("Don't truncate output"),
                boolean.class, v -> noTrunc = v, () -> noTrunc);
        model.add(OptionSpec.builder("--digests")
                .description("Show digests"),
                boolean.class, v -> digests = v, () -> digests);
        model.addList(OptionSpec.builder("-f", "--filter").paramLabel("filter")
                .description("Filter output based on conditions provided"),
                String.class, v -> filters = v, () -> filters);
        model.add(OptionSpec.builder("--format").paramLabel("string")
                .description("Format output using a custom template"),
                String.class, v -> format = v, () -> format);
        model.add(OptionSpec.builder("--help")
                .description("Print usage").usageHelp(true),
                boolean.class, v -> help = v, () -> help);
        model.addPositional(PositionalParamSpec.builder().paramLabel("REPOSITORY[:TAG]").arity("0..1"),
                String.class, v -> reference = v, () -> reference);

        spec = model.spec();
        spec.usageMessage().customSynopsis("berth images [OPTIONS] [REPOSITORY[:TAG]]");
        return spec;
    }

    @Override
    public Integer call() {
        Map<String, List<String>> f = Filters.parse(filters);
        if (reference != null) {
            f.computeIfAbsent("reference", k -> new ArrayList<>()).add(reference);
        }
        JsonNode images = client().listImages(all, digests, f);
        Instant now = Instant.now();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode image : images) {
            rows.addAll(ImageRows.rows(image, !noTrunc, now));
        }
        if (quiet && format == null) {
            Set<Object> ids = new LinkedHashSet<>();
            rows.forEach(r -> ids.add(r.get("ID")));
            ids.forEach(id -> out().println(id));
            return 0;
        }
        String template = format != null ? format : digests ? ImageRows.DIGESTS_FORMAT : ImageRows.DEFAULT_FORMAT;
        out().print(OutputFormat.parse(template).render(rows, ImageRows.HEADERS));
        out().flush();
        return 0;
    }
}
