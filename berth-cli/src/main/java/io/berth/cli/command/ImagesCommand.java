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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "images", description = "List images", customSynopsis = "berth images [OPTIONS] [REPOSITORY[:TAG]]")
public final class ImagesCommand extends ApiCommand {

    @Option(names = {"-a", "--all"}, description = "Show all images (default hides intermediate images)")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = "--digests", description = "Show digests")
    boolean digests;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

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
