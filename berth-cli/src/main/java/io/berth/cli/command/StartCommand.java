package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.CliException;
import io.berth.client.EngineApiException;
import io.berth.client.EngineClient;
import io.berth.client.HijackedStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code start}: plain start of each container, or with -a/-i an attached start of one, exiting with its status. */
public final class StartCommand extends ForEachContainer implements CommandModel.InCode {

    boolean attach;

    boolean interactive;

    String detachKeys;

    /** Built in code ({@link CommandModel}): no annotation proxies on a call (typed in scripts as much as by hand). */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "start", "Start one or more stopped containers");
        model.add(OptionSpec.builder("-a", "--attach")
                .description("Attach STDOUT/STDERR and forward signals"),
                boolean.class, v -> attach = v, () -> attach);
        model.add(OptionSpec.builder("-i", "--interactive")
                .description("Attach container's STDIN"),
                boolean.class, v -> interactive = v, () -> interactive);
        model.add(OptionSpec.builder("--detach-keys").paramLabel("string")
                .description("Override the key sequence for detaching a container"),
                String.class, v -> detachKeys = v, () -> detachKeys);
        return withTargets(model, "CONTAINER");
    }

    @Override
    String apply(String container) {
        client().startContainer(container);
        return container;
    }

    @Override
    public Integer call() throws IOException {
        if (!attach && !interactive) {
            return forEach(targets);
        }
        if (targets.size() > 1) {
            throw new CliException(1, "you cannot start and attach multiple containers at once");
        }
        EngineClient client = client();
        JsonNode c = client.inspectContainer(targets.getFirst(), false);
        String id = c.path("Id").asText();
        boolean tty = c.path("Config").path("Tty").asBoolean();
        boolean stdin = interactive && c.path("Config").path("OpenStdin").asBoolean();
        AttachedSession session = new AttachedSession(io(), tty, stdin);
        HijackedStream stream = client.attach(id, stdin, true, true, false, detachKeys);
        boolean autoRemove = c.path("HostConfig").path("AutoRemove").asBoolean();
        CompletableFuture<JsonNode> exit = client.waitContainerAsync(id, autoRemove ? "removed" : "next-exit");
        session.enterRawMode();
        try {
            client.startContainer(id);
        } catch (EngineApiException e) {
            session.restoreTerminal();
            stream.close();
            throw new CliException(StartFailure.status(e.getMessage()), "Error response from daemon: " + e.getMessage());
        }
        session.followTerminalSize((h, w) -> client.resizeContainer(id, h, w));
        if (!tty) {
            RunCommand.proxySignals(client, id);
        }
        try {
            session.pump(stream);
        } catch (IOException e) {
            // the wait result below says how the container ended
        } finally {
            session.restoreTerminal();
        }
        return RunCommand.exitStatus(exit);
    }
}
