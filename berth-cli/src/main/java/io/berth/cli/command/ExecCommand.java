package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.tty.Terminal;
import io.berth.client.EngineApiException;
import io.berth.client.EngineClient;
import io.berth.client.HijackedStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code exec}: create an exec instance, start it attached (or detached), and exit with its exit code. */
@Command(name = "exec", description = "Execute a command in a running container",
        customSynopsis = "berth exec [OPTIONS] CONTAINER COMMAND [ARG...]")
public final class ExecCommand extends ApiCommand {

    @Option(names = {"-d", "--detach"}, description = "Detached mode: run command in the background")
    boolean detach;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "list", description = "Read in a file of environment variables")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "string", description = "Username or UID (format: \"<name|uid>[:<group|gid>]\")")
    String user;

    @Option(names = "--privileged", description = "Give extended privileges to the command")
    boolean privileged;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command;

    /** The {@code POST /containers/{id}/exec} body. */
    public ObjectNode toExecBody(Map<String, String> callerEnv, int[] consoleSize) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("User", user == null ? "" : user);
        body.put("Privileged", privileged);
        body.put("Tty", tty);
        body.put("AttachStdin", interactive && !detach);
        body.put("AttachStdout", !detach);
        body.put("AttachStderr", !detach);
        if (detachKeys != null) {
            body.put("DetachKeys", detachKeys);
        }
        var envArray = body.putArray("Env");
        try {
            for (Path f : envFiles) {
                EnvFile.read(f, callerEnv).forEach(envArray::add);
            }
        } catch (IOException e) {
            throw new CliException(1, "open " + e.getMessage() + ": no such file or directory");
        }
        for (String e : env) {
            envArray.add(!e.contains("=") && callerEnv.containsKey(e) ? e + "=" + callerEnv.get(e) : e);
        }
        body.put("WorkingDir", workdir == null ? "" : workdir);
        var cmd = body.putArray("Cmd");
        command.forEach(cmd::add);
        if (tty && consoleSize != null) {
            body.putArray("ConsoleSize").add(consoleSize[0]).add(consoleSize[1]);
        }
        return body;
    }

    @Override
    public Integer call() throws IOException {
        if (tty && interactive && !io().stdinIsTerminal()) {
            throw new CliException(1, "the input device is not a TTY");
        }
        EngineClient client = client();
        int[] size = tty && io().stdoutIsTerminal() ? Terminal.size(Terminal.STDOUT) : null;
        String execId = client.createExec(container, toExecBody(env(), size));
        if (detach) {
            client.startExecDetached(execId, tty);
            return 0;
        }
        AttachedSession session = new AttachedSession(io(), tty, interactive);
        HijackedStream stream;
        try {
            stream = client.startExecAttached(execId, tty, size);
        } catch (EngineApiException e) {
            throw new CliException(StartFailure.status(e.getMessage()) == 125 ? 1 : StartFailure.status(e.getMessage()),
                    "Error response from daemon: " + e.getMessage());
        }
        session.enterRawMode();
        session.followTerminalSize((h, w) -> client.resizeExec(execId, h, w));
        try {
            session.pump(stream);
        } catch (IOException e) {
            // the exec inspect below tells how the process ended
        } finally {
            session.restoreTerminal();
        }
        var inspect = client.inspectExec(execId);
        return inspect.path("ExitCode").asInt();
    }
}
