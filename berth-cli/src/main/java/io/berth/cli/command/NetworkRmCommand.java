package io.berth.cli.command;

import io.berth.cli.CliException;
import io.berth.client.EngineApiException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code network rm}: each network in turn, its name printed when removed; -f makes a missing one no error. */
@Command(name = "rm", description = "Remove one or more networks")
public final class NetworkRmCommand extends ForEachContainer {

    @Option(names = {"-f", "--force"}, description = "Do not error if the network does not exist")
    boolean force;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "NETWORK")
    List<String> networks;

    @Override
    String apply(String network) {
        try {
            client().removeNetwork(network);
        } catch (EngineApiException e) {
            if (force && e.isNotFound()) return null;
            throw e;
        }
        return network;
    }

    @Override
    public Integer call() {
        try {
            return forEach(networks);
        } catch (CliException e) {
            // the docker CLI ends a failed network rm with this line of its own
            throw new CliException(e.status(), e.getMessage() + "\nexit status 1");
        }
    }
}
