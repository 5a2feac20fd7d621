package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.client.EngineApiException;
import io.berth.client.EngineClient;
import java.io.PrintStream;

/** {@code create} as docker's CLI does it: pull the image when the daemon does not have it, then retry. */
final class ContainerCreator {

    private ContainerCreator() {}

    static String create(EngineClient client, CreateOptions options, ObjectNode body, PrintStream err) {
        ImageRef ref = ImageRef.parse(options.image());
        if (options.pull().equals("always")) {
            pull(client, ref, options.platform(), err);
        }
        JsonNode created;
        try {
            created = client.createContainer(options.name(), body);
        } catch (EngineApiException e) {
            if (!e.isNotFound() || options.pull().equals("never") || !e.getMessage().toLowerCase().contains("image")) {
                throw e;
            }
            err.println("Unable to find image '" + ref.familiar() + "' locally");
            pull(client, ref, options.platform(), err);
            created = client.createContainer(options.name(), body);
        }
        for (JsonNode warning : created.path("Warnings")) {
            err.println("WARNING: " + warning.asText());
        }
        return created.path("Id").asText();
    }

    static void pull(EngineClient client, ImageRef ref, String platform, PrintStream err) {
        String tag = ref.digest() != null ? ref.digest() : ref.tagOrLatest();
        client.pullImage(ref.repository(), tag, platform, new ProgressPrinter(err));
    }
}
