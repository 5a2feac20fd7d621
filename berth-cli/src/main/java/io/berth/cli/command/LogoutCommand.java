package io.berth.cli.command;

import io.berth.cli.ApiCommand;
import io.berth.cli.auth.DockerConfigFile;
import io.berth.cli.auth.RegistryAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code logout}: forgets the stored credentials; needs no daemon. */
@Command(name = "logout", description = "Log out from a registry",
        customSynopsis = "berth logout [SERVER]",
        footer = "%nIf no server is specified, the default is defined by the daemon.")
public final class LogoutCommand extends ApiCommand {

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER")
    String server;

    @Override
    public Integer call() {
        String serverAddress = RegistryAddress.serverOf(server);
        boolean dockerHub = serverAddress.equals(RegistryAddress.INDEX_SERVER);
        String hostname = dockerHub ? serverAddress : RegistryAddress.hostname(serverAddress);
        // Older clients saved entries under the address as typed or with a scheme: remove those too.
        Set<String> keys = new LinkedHashSet<>();
        keys.add(serverAddress);
        if (!dockerHub) {
            keys.add(hostname);
            keys.add("http://" + hostname);
            keys.add("https://" + hostname);
        }
        out().println("Removing login credentials for " + hostname);
        DockerConfigFile config = DockerConfigFile.load(env());
        boolean removed = false;
        for (String key : keys) {
            removed |= config.erase(key);
        }
        if (removed) {
            config.save();
        }
        return 0;
    }
}
