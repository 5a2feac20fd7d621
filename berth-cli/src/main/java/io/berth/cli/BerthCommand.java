package io.berth.cli;

import io.berth.client.DockerHost;
import io.berth.client.EngineClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The root command: global options and the shared client. Subcommands are registered by {@link Main}.
 * On every call's path, so its model is built in code ({@link CommandModel}).
 */
public final class BerthCommand implements Callable<Integer>, CommandModel.InCode {

    String host;
    boolean debug;
    boolean version;
    CommandSpec spec;

    private final Io io;
    private final Map<String, String> env;
    private EngineClient client;

    public BerthCommand(Io io, Map<String, String> env) {
        this.io = io;
        this.env = env;
    }

    @Override
    public CommandSpec model() {
        spec = CommandModel.of(this, "berth", "A self-sufficient runtime for containers (Docker Engine API client).")
                .option(String.class, v -> host = v, () -> host, "HOST", "Daemon socket to connect to", "-H", "--host")
                .flag(v -> debug = v, () -> debug, "Enable debug mode", "-D", "--debug")
                .flag(v -> version = v, () -> version, "Print version information and quit", "-v", "--version")
                .help()
                .spec();
        spec.usageMessage().synopsisSubcommandLabel("COMMAND")
                .footer("%nRun 'berth COMMAND --help' for more information on a command.");
        return spec;
    }

    public Io io() {
        return io;
    }

    public Map<String, String> env() {
        return env;
    }

    public boolean debug() {
        return debug;
    }

    public synchronized EngineClient client() {
        if (client == null) {
            client = new EngineClient(DockerHost.resolve(host, env));
        }
        return client;
    }

    @Override
    public Integer call() {
        if (version) {
            io.out().println("berth version " + Main.VERSION);
            return 0;
        }
        spec.commandLine().usage(io.out());
        return 0;
    }
}
