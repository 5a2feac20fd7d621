package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.format.OutputFormat;
import io.berth.client.EngineApiException;
import io.berth.client.EngineClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stats}: one sample per container (GET stats?stream=false, fetched in parallel) printed as
 * docker's table; without --no-stream the table is redrawn every sample.
 */
@Command(name = "stats", description = "Display a live stream of container(s) resource usage statistics")
public final class StatsCommand extends ApiCommand {

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;

    @Option(names = "--no-trunc", description = "Do not truncate output")
    boolean noTrunc;

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(paramLabel = "CONTAINER", arity = "0..*")
    List<String> containers = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        EngineClient client = client();
        OutputFormat output = OutputFormat.parse(format == null ? StatsRow.DEFAULT_FORMAT : format);
        while (true) {
            List<String> targets = containers;
            if (targets.isEmpty()) {
                targets = new ArrayList<>();
                for (JsonNode c : client.listContainers(all, 0, false, null)) {
                    targets.add(c.path("Id").asText());
                }
            }
            List<Map<String, Object>> rows = sample(client, targets);
            String text = output.render(rows, StatsRow.HEADERS);
            if (noStream) {
                out().print(text);
                out().flush();
                return 0;
            }
            out().print("\033[2J\033[H" + text);
            out().flush();
        }
    }

    private List<Map<String, Object>> sample(EngineClient client, List<String> targets) throws InterruptedException {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> samples = new ArrayList<>();
            for (String t : targets) {
                samples.add(pool.submit((Callable<JsonNode>) () -> client.stats(t)));
            }
            for (int i = 0; i < targets.size(); i++) {
                try {
                    rows.add(StatsRow.row(targets.get(i), samples.get(i).get(), !noTrunc));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof EngineApiException api) {
                        errors.add("Error response from daemon: " + api.getMessage());
                    } else {
                        throw new CliException(1, String.valueOf(e.getCause().getMessage()));
                    }
                }
            }
        }
        if (!errors.isEmpty() && noStream) {
            throw new CliException(1, String.join("\n", errors));
        }
        return rows;
    }
}
