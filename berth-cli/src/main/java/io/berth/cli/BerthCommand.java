package io.berth.cli;

import io.berth.client.ClientTls;
import io.berth.client.DockerHost;
import io.berth.client.EngineClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The root command: global options and the shared client. Subcommands are registered by {@link Main}. */
@Command(name = "berth", synopsisSubcommandLabel = "COMMAND",
        description = "A self-sufficient runtime for containers (Docker Engine API client).",
        footer = "%nRun 'berth COMMAND --help' for more information on a command.")
public final class BerthCommand implements Callable<Integer> {

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Daemon socket to connect to")
    String host;

    @Option(names = "--tls", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Use TLS; implied by --tlsverify")
    Boolean tls;

    @Option(names = "--tlsverify", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Use TLS and verify the remote")
    Boolean tlsVerify;

    @Option(names = "--tlscacert", paramLabel = "string", description = "Trust certs signed only by this CA (default \"~/.docker/ca.pem\")")
    Path tlsCaCert;

    @Option(names = "--tlscert", paramLabel = "string", description = "Path to TLS certificate file (default \"~/.docker/cert.pem\")")
    Path tlsCert;

    @Option(names = "--tlskey", paramLabel = "string", description = "Path to TLS key file (default \"~/.docker/key.pem\")")
    Path tlsKey;

    @Option(names = {"-D", "--debug"}, description = "Enable debug mode")
    boolean debug;

    @Option(names = {"-v", "--version"}, description = "Print version information and quit")
    boolean version;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Spec
    CommandSpec spec;

    private final Io io;
    private final Map<String, String> env;
    private EngineClient client;

    public BerthCommand(Io io, Map<String, String> env) {
        this.io = io;
        this.env = env;
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
