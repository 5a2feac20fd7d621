package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.client.EngineClient;
import io.berth.client.HijackedStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attach", description = "Attach local standard input, output, and error streams to a running container")
public final class AttachCommand extends ApiCommand {

    @Option(names = "--no-stdin", description = "Do not attach STDIN")
    boolean noStdin;

    @Option(names = "--sig-proxy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Proxy all received signals to the process")
    boolean sigProxy = true;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    public Integer call() throws IOException {
        EngineClient client = client();
        JsonNode c = client.inspectContainer(container, false);
        if (!c.path("State").path("Running").asBoolean()) {
            throw new CliException(1, "You cannot attach to a stopped container, start it first");
        }
        String id = c.path("Id").asText();
        boolean tty = c.path("Config").path("Tty").asBoolean();
        boolean stdin = !noStdin && c.path("Config").path("OpenStdin").asBoolean();
        AttachedSession session = new AttachedSession(io(), tty, stdin);
        HijackedStream stream = client.attach(id, stdin, true, true, false, detachKeys);
        CompletableFuture<JsonNode> exit = client.waitContainerAsync(id, "not-running");
        session.enterRawMode();
        session.followTerminalSize((h, w) -> client.resizeContainer(id, h, w));
        if (!tty && sigProxy) {
            RunCommand.proxySignals(client, id);
        }
        try {
            session.pump(stream);
        } catch (IOException e) {
            // the wait result says how the container ended
        } finally {
            session.restoreTerminal();
        }
        return RunCommand.exitStatus(exit);
    }
}
