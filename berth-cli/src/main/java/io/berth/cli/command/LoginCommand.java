package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.auth.DockerConfigFile;
import io.berth.cli.auth.RegistryAddress;
import io.berth.client.EngineApiException;
import io.berth.client.RegistryAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code login}: the daemon checks the credentials against the registry (POST /auth); on success
 * the CLI keeps them in the docker config file, where pull and push find them.
 */
@Command(name = "login", description = "Authenticate to a registry",
        customSynopsis = "berth login [OPTIONS] [SERVER]",
        footer = "%nDefaults to Docker Hub if no server is specified.")
public final class LoginCommand extends ApiCommand {

    @Option(names = {"-u", "--username"}, paramLabel = "string", description = "Username")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "string", description = "Password or Personal Access Token (PAT)")
    String password;

    @Option(names = "--password-stdin", description = "Take the Password or Personal Access Token (PAT) from stdin")
    boolean passwordStdin;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER")
    String server;

    @Override
    public Integer call() {
        String user = username == null ? "" : username.strip();
        String secret = password == null ? "" : password;
        if (password != null) {
            err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            if (passwordStdin) {
                throw new CliException("--password and --password-stdin are mutually exclusive");
            }
        }
        if (passwordStdin) {
            if (user.isEmpty()) {
                throw new CliException("Must provide --username with --password-stdin");
            }
            secret = passwordFromStdin();
        }
        String serverAddress = RegistryAddress.serverOf(server);
        String key = RegistryAddress.credentialKey(serverAddress);
        DockerConfigFile config = DockerConfigFile.load(env());

        String storedUser = "";
        if (user.isEmpty() && secret.isEmpty()) {
            Optional<RegistryAuth> stored = config.credentials(key)
                    .filter(a -> !a.username().isEmpty() && (!a.password().isEmpty() || !a.identityToken().isEmpty()));
            if (stored.isPresent() && loginWithStored(config, stored.get())) {
                return 0;
            }
            storedUser = config.credentials(key).map(RegistryAuth::username).orElse("");
        }
        if (user.isEmpty() || secret.isEmpty()) {
            LoginPrompt prompt = new LoginPrompt(io());
            if (user.isEmpty()) {
                user = prompt.username(storedUser, key.equals(RegistryAddress.INDEX_SERVER));
            }
            if (secret.isEmpty()) {
                secret = prompt.password();
            }
        }
        RegistryAuth auth = new RegistryAuth(user, secret, key);
        JsonNode response = client().login(auth);
        finish(config, auth, response);
        return 0;
    }

    /** Tries the saved credentials first, as docker does when neither -u nor -p is given. */
    private boolean loginWithStored(DockerConfigFile config, RegistryAuth stored) {
        err().println("Authenticating with existing credentials... [Username: " + stored.username() + "]");
        try {
            finish(config, stored, client().login(stored));
            return true;
        } catch (EngineApiException e) {
            if (e.status() == 401) {
                err().println("Stored credentials invalid or expired");
            } else {
                err().println("Login did not succeed, error: Error response from daemon: " + e.getMessage());
            }
            return false;
        }
    }

    private void finish(DockerConfigFile config, RegistryAuth auth, JsonNode response) {
        String token = response.path("IdentityToken").asText("");
        RegistryAuth saved = token.isEmpty() ? auth : new RegistryAuth(auth.username(), "", auth.serverAddress(), token);
        config.store(saved);
        config.save();
        if (saved.password() != null && !saved.password().isEmpty()) {
            // docker warns only when a password (not a token) lands in the file
            err().println();
            err().println("WARNING! Your credentials are stored unencrypted in '" + config.path() + "'.");
            err().println("Configure a credential helper to remove this warning. See");
            err().println("https://docs.docker.com/go/credential-store/");
            err().println();
        }
        String status = response.path("Status").asText("");
        out().println(status.isEmpty() ? "Login Succeeded" : status);
    }

    /** Everything on stdin, without the final newline (docker trims one "\n" and then one "\r"). */
    private String passwordFromStdin() {
        try {
            String text = new String(in().readAllBytes(), StandardCharsets.UTF_8);
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
