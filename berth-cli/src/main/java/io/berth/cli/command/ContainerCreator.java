package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.Io;
import io.berth.cli.auth.DockerConfigFile;
import io.berth.cli.auth.RepositoryName;
import io.berth.cli.progress.JsonMessageDisplay;
import io.berth.cli.progress.OutputTerminal;
import io.berth.cli.tty.Terminal;
import io.berth.client.EngineApiException;
import io.berth.client.EngineClient;
import io.berth.client.RegistryAuth;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;

/** {@code create} as docker's CLI does it: pull the image when the daemon does not have it, then retry. */
final class ContainerCreator {

    private ContainerCreator() {}

    static String create(EngineClient client, CreateOptions options, ObjectNode body, Map<String, String> env, Io io) {
        try (ContainerIdFile cidFile = ContainerIdFile.claim(options.cidFile())) {
            String id = createAndPull(client, options, body, env, io);
            cidFile.write(id);
            return id;
        }
    }

    private static String createAndPull(EngineClient client, CreateOptions options, ObjectNode body, Map<String, String> env, Io io) {
        PrintStream err = io.err();
        ImageRef ref = ImageRef.parse(options.image());
        if (options.pull().equals("always")) {
            pull(client, ref, options.platform(), env, err, pullProgress(io));
        }
        JsonNode created;
        try {
            created = client.createContainer(options.name(), options.platform(), body);
        } catch (EngineApiException e) {
            if (!e.isNotFound() || options.pull().equals("never") || !e.getMessage().toLowerCase().contains("image")) {
                throw e;
            }
            err.println("Unable to find image '" + ref.familiar() + "' locally");
            pull(client, ref, options.platform(), env, err, pullProgress(io));
            created = client.createContainer(options.name(), options.platform(), body);
        }
        for (JsonNode warning : created.path("Warnings")) {
            err.println("WARNING: " + warning.asText());
        }
        return created.path("Id").asText();
    }

    /**
     * A display for one pull, shown on stderr so stdout stays the container's (or the new id), as in
     * docker. Made only when a pull happens: probing the terminal binds libc through FFM, which would
     * cost every run of a local image tens of milliseconds for nothing.
     */
    private static JsonMessageDisplay pullProgress(Io io) {
        return new JsonMessageDisplay(io.err(), OutputTerminal.of(io.terminal(), Terminal.STDERR));
    }

    static void pull(EngineClient client, ImageRef ref, String platform, Map<String, String> env, PrintStream warnings,
                     Consumer<JsonNode> progress) {
        String tag = ref.digest() != null ? ref.digest() : ref.tagOrLatest();
        client.pullImage(ref.repository(), tag, platform, authFor(ref, env, warnings), progress);
    }

    /** The saved credentials for the image's registry; an unreadable config file only costs a warning, as in docker. */
    static RegistryAuth authFor(ImageRef ref, Map<String, String> env, PrintStream err) {
        try {
            return DockerConfigFile.load(env).authFor(RepositoryName.parse(ref.repository()));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("WARNING: Error " + e.getMessage());
            return RegistryAuth.NONE;
        }
    }
}
