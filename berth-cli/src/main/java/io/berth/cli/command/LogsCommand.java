package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.client.EngineClient;
import io.berth.client.HttpResponse;
import io.berth.client.StreamDemux;
import java.io.IOException;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Fetch the logs of a container")
public final class LogsCommand extends ApiCommand {

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "string", defaultValue = "all", description = "Number of lines to show from the end of the logs")
    String tail;

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Option(names = "--since", paramLabel = "string", description = "Show logs since timestamp or relative (e.g. 42m)")
    String since;

    @Option(names = "--until", paramLabel = "string", description = "Show logs before a timestamp or relative (e.g. 42m)")
    String until;

    @Option(names = "--details", description = "Show extra details provided to logs")
    boolean details;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() throws IOException {
        EngineClient client = client();
        JsonNode c = client.inspectContainer(container, false);
        boolean tty = c.path("Config").path("Tty").asBoolean();
        Instant now = Instant.now();
        var options = new EngineClient.LogsOptions(follow, true, true, Timestamps.toApi(since, now),
                Timestamps.toApi(until, now), timestamps, tail);
        try (HttpResponse response = client.logs(c.path("Id").asText(), options)) {
            StreamDemux.copy(tty, response.body(), out(), err());
        }
        return 0;
    }
}
