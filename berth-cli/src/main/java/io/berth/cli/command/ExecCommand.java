package io.berth.cli.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.CommandModel;
import io.berth.cli.tty.Terminal;
import io.berth.client.EngineApiException;
import io.berth.client.EngineClient;
import io.berth.client.HijackedStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code exec}: create an exec instance, start it attached (or detached), and exit with its exit code.
 */
public final class ExecCommand extends ApiCommand implements CommandModel.InCode {

    boolean detach;
    boolean interactive;
    boolean tty;
    List<String> env = new ArrayList<>();
    List<Path> envFiles = new ArrayList<>();
    String workdir;
    String user;
    boolean privileged;
    String detachKeys;
    String container;
    List<String> command;

    /** Built in code ({@link CommandModel}): exec is on the hot path of scripts and tests. */
    @Override
    public CommandSpec model() {
        spec = CommandModel.of(this, "exec", "Execute a command in a running container")
                .flag(v -> detach = v, () -> detach, "Detached mode: run command in the background", "-d", "--detach")
                .flag(v -> interactive = v, () -> interactive, "Keep STDIN open even if not attached",
                        "-i", "--interactive")
                .flag(v -> tty = v, () -> tty, "Allocate a pseudo-TTY", "-t", "--tty")
                .list(String.class, v -> env = v, () -> env, "list", "Set environment variables", "-e", "--env")
                .list(Path.class, v -> envFiles = v, () -> envFiles, "list",
                        "Read in a file of environment variables", "--env-file")
                .option(String.class, v -> workdir = v, () -> workdir, "string",
                        "Working directory inside the container", "-w", "--workdir")
                .option(String.class, v -> user = v, () -> user, "string",
                        "Username or UID (format: \"<name|uid>[:<group|gid>]\")", "-u", "--user")
                .flag(v -> privileged = v, () -> privileged, "Give extended privileges to the command", "--privileged")
                .option(String.class, v -> detachKeys = v, () -> detachKeys, "string",
                        "Override the key sequence for detaching a container", "--detach-keys")
                .help()
                .positional("0", v -> container = v, () -> container, "CONTAINER")
                .rest("1..*", v -> command = v, () -> command, "COMMAND")
                .spec();
        spec.usageMessage().customSynopsis("berth exec [OPTIONS] CONTAINER COMMAND [ARG...]");
        return spec;
    }

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
