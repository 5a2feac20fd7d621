package io.berth.cli;

import io.berth.client.ClientTls;
import io.berth.client.DockerHost;
import io.berth.client.EngineClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The root command: global options and the shared client. Subcommands are registered by {@link Main}.
 * On every call's path, so its model is built in code ({@link CommandModel}).
 */
public final class BerthCommand implements Callable<Integer>, CommandModel.InCode {

    String host;

    Boolean tls;

    Boolean tlsVerify;

    Path tlsCaCert;

    Path tlsCert;

    Path tlsKey;

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
                .add(OptionSpec.builder("--tls").arity("0..1").fallbackValue("true").paramLabel("BOOL")
                        .description("Use TLS; implied by --tlsverify"), Boolean.class, v -> tls = v, () -> tls)
                .add(OptionSpec.builder("--tlsverify").arity("0..1").fallbackValue("true").paramLabel("BOOL")
                        .description("Use TLS and verify the remote"), Boolean.class, v -> tlsVerify = v, () -> tlsVerify)
                .option(Path.class, v -> tlsCaCert = v, () -> tlsCaCert, "string",
                        "Trust certs signed only by this CA (default \"~/.docker/ca.pem\")", "--tlscacert")
                .option(Path.class, v -> tlsCert = v, () -> tlsCert, "string",
                        "Path to TLS certificate file (default \"~/.docker/cert.pem\")", "--tlscert")
                .option(Path.class, v -> tlsKey = v, () -> tlsKey, "string",
                        "Path to TLS key file (default \"~/.docker/key.pem\")", "--tlskey")
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

    /** The daemon address given with -H (null when the environment names it). */
    public String host() {
        return host;
    }

    public boolean debug() {
        return debug;
    }

    public synchronized EngineClient client() {
        if (client == null) {
            ClientTls clientTls = ClientTls.resolve(tls, tlsVerify, tlsCaCert, tlsCert, tlsKey, env);
            client = new EngineClient(DockerHost.resolve(host, env, clientTls));
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
