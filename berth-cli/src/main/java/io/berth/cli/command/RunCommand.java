package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.tty.Terminal;
import io.berth.client.EngineApiException;
import io.berth.client.EngineClient;
import io.berth.client.HijackedStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code run}: create (pulling if needed), attach before start so no output is lost, register a
 * wait (condition "removed" with --rm, since the daemon removes the container itself), start, pump
 * the streams, and exit with the container's status.
 */
public final class RunCommand extends ApiCommand implements CommandModel.InCode {

    CreateOptions options = new CreateOptions();

    boolean detach;

    boolean sigProxy = true;

    String detachKeys;

    boolean help;

    /** Built in code ({@link CommandModel}), with {@link CreateOptions} as its mixin. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "run", "Create and run a new container from an image");
        options.addTo(model);
        model.add(OptionSpec.builder("-d", "--detach")
                .description("Run container in background and print container ID"),
                boolean.class, v -> detach = v, () -> detach);
        model.add(OptionSpec.builder("--sig-proxy")
                .description("Proxy received signals to the process").defaultValue("true").fallbackValue("true").negatable(true),
                boolean.class, v -> sigProxy = v, () -> sigProxy);
        model.add(OptionSpec.builder("--detach-keys").paramLabel("string")
                .description("Override the key sequence for detaching a container"),
                String.class, v -> detachKeys = v, () -> detachKeys);
        model.add(OptionSpec.builder("--help")
                .description("Print usage").usageHelp(true),
                boolean.class, v -> help = v, () -> help);

        spec = model.spec();
        spec.usageMessage().customSynopsis("berth run [OPTIONS] IMAGE [COMMAND] [ARG...]");
        return spec;
    }

    @Override
    public int apiErrorStatus() {
        return 125;
    }

    @Override
    public boolean verboseErrors() {
        return true;
    }

    @Override
    public Integer call() throws IOException {
        if (options.tty() && options.interactive() && !io().stdinIsTerminal()) {
            throw new CliException(1, "the input device is not a TTY");
        }
        ObjectNode body = buildBody();
        if (options.tty() && io().stdoutIsTerminal()) {
            // the process's first look at its terminal sees ours, before the resize that follows the attach
            int[] size = Terminal.size(Terminal.STDOUT);
            if (size != null) ((ObjectNode) body.get("HostConfig")).putArray("ConsoleSize").add(size[0]).add(size[1]);
        }
        EngineClient client = client();
        String id = ContainerCreator.create(client, options, body, env(), io());
        if (detach) {
            startOrFail(client, id);
            out().println(id);
            return 0;
        }
        boolean attachStdin = body.path("AttachStdin").asBoolean();
        AttachedSession session = new AttachedSession(io(), options.tty(), attachStdin);
        HijackedStream stream = client.attach(id, attachStdin, body.path("AttachStdout").asBoolean(),
                body.path("AttachStderr").asBoolean(), false, detachKeys);
        CompletableFuture<JsonNode> exit = client.waitContainerAsync(id, options.autoRemove() ? "removed" : "next-exit");
        session.enterRawMode();
        try {
            startOrFail(client, id);
        } catch (CliException e) {
            session.restoreTerminal();
            stream.close();
            throw e;
        }
        session.followTerminalSize((h, w) -> client.resizeContainer(id, h, w));
        if (!options.tty() && sigProxy) {
            proxySignals(client, id);
        }
        try {
            session.pump(stream);
        } catch (IOException e) {
            // the stream broke; the wait below still reports how the container ended
        } finally {
            session.restoreTerminal();
        }
        return exitStatus(exit);
    }

    private ObjectNode buildBody() {
        try {
            return options.toCreateBody(detach, env());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CliException(125, "berth: " + e.getMessage() + "\n\nRun 'berth run --help' for more information");
        }
    }

    static void startOrFail(EngineClient client, String id) {
        try {
            client.startContainer(id);
        } catch (EngineApiException e) {
            throw new CliException(StartFailure.status(e.getMessage()),
                    "berth: Error response from daemon: " + e.getMessage() + "\n\nRun 'berth run --help' for more information");
        }
    }

    static void proxySignals(EngineClient client, String id) {
        for (String signal : new String[] {"INT", "TERM"}) {
            Signals.handle(signal, () -> Thread.ofVirtual().start(() -> {
                try {
                    client.killContainer(id, "SIG" + signal);
                } catch (RuntimeException ignored) {
                    // the container may already be gone
                }
            }));
        }
    }

    static int exitStatus(CompletableFuture<JsonNode> exit) {
        JsonNode status;
        try {
            status = exit.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof EngineApiException api) {
                throw api;
            }
            throw e;
        }
        String error = status.path("Error").path("Message").asText("");
        if (!error.isEmpty()) {
            throw new CliException(125, "berth: Error response from daemon: " + error);
        }
        return status.path("StatusCode").asInt();
    }
}
