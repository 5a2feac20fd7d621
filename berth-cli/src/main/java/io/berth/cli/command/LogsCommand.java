package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.client.EngineClient;
import io.berth.client.HttpResponse;
import io.berth.client.StreamDemux;
import java.io.IOException;
import java.time.Instant;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

public final class LogsCommand extends ApiCommand implements CommandModel.InCode {

    boolean follow;

    String tail;

    boolean timestamps;

    String since;

    String until;

    boolean details;

    boolean help;

    String container;

    /** Built in code ({@link CommandModel}): one of the commands typed most. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "logs", "Fetch the logs of a container");
        model.add(OptionSpec.builder("-f", "--follow")
                .description("Follow log output"),
                boolean.class, v -> follow = v, () -> follow);
        model.add(OptionSpec.builder("-n", "--tail").paramLabel("string")
                .description("Number of lines to show from the end of the logs").defaultValue("all"),
                String.class, v -> tail = v, () -> tail);
        model.add(OptionSpec.builder("-t", "--timestamps")
                .description("Show timestamps"),
                boolean.class, v -> timestamps = v, () -> timestamps);
        model.add(OptionSpec.builder("--since").paramLabel("string")
                .description("Show logs since timestamp or relative (e.g. 42m)"),
                String.class, v -> since = v, () -> since);
        model.add(OptionSpec.builder("--until").paramLabel("string")
                .description("Show logs before a timestamp or relative (e.g. 42m)"),
                String.class, v -> until = v, () -> until);
        model.add(OptionSpec.builder("--details")
                .description("Show extra details provided to logs"),
                boolean.class, v -> details = v, () -> details);
        model.add(OptionSpec.builder("--help")
                .description("Print usage").usageHelp(true),
                boolean.class, v -> help = v, () -> help);
        model.addPositional(PositionalParamSpec.builder().index("0").paramLabel("CONTAINER").required(true),
                String.class, v -> container = v, () -> container);

        spec = model.spec();
        return spec;
    }

    @Override
    public Integer call() throws IOException {
        EngineClient client = client();
        JsonNode c = client.inspectContainer(container, false);
        boolean tty = c.path("Config").path("Tty").asBoolean();
        Instant now = Instant.now();
        var options = new EngineClient.LogsOptions(follow, true, true, Timestamps.toApi(since, now),
                Timestamps.toApi(until, now), timestamps, details, tail);
        try (HttpResponse response = client.logs(c.path("Id").asText(), options)) {
            StreamDemux.copy(tty, response.body(), out(), err());
        }
        return 0;
    }
}
