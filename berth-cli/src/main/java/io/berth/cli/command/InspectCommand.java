package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.berth.cli.ApiCommand;
import io.berth.cli.CliException;
import io.berth.cli.format.GoJson;
import io.berth.cli.format.GoTemplate;
import io.berth.client.EngineApiException;
import io.berth.client.EngineClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inspect}, {@code container inspect}, {@code image inspect}, {@code volume inspect}, {@code network inspect}: the daemon's JSON documents,
 * indented like docker's, or each rendered through {@code -f}. Without --type a name is looked up
 * as a container first, then as an image, then as a volume, then as a network.
 */
@Command(name = "inspect", description = "Return low-level information on Docker objects")
public final class InspectCommand extends ApiCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--type", paramLabel = "string", description = "Only inspect objects of the given type")
    String type;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes if the type is container")
    boolean size;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "NAME|ID")
    List<String> names;

    private final String fixedType;
    /** The daemon's own words for the name just looked up, when docker shows them (networks). */
    private String daemonError;

    public InspectCommand() {
        this(null);
    }

    public InspectCommand(String fixedType) {
        this.fixedType = fixedType;
    }

    @Override
    public Integer call() {
        String kind = fixedType != null ? fixedType : type;
        if (kind != null && !kind.equals("container") && !kind.equals("image") && !kind.equals("volume")
                && !kind.equals("network")) {
            throw new CliException(1, "\"" + kind + "\" is not a valid value for --type");
        }
        GoTemplate template = format == null ? null : GoTemplate.parse(format.replace("\\t", "\t").replace("\\n", "\n"));
        EngineClient client = client();
        ArrayNode found = EngineClient.json().createArrayNode();
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            JsonNode node = lookup(client, kind, name);
            if (node == null && daemonError != null) {
                errors.add(daemonError);
                daemonError = null;
            } else if (node == null) {
                errors.add("Error: " + (kind == null ? "No such object: " + name : "No such " + kind + ": " + name));
            } else {
                found.add(node);
            }
        }
        if (template == null) {
            out().println(GoJson.indent(found));
        } else {
            for (JsonNode node : found) {
                Object data = EngineClient.json().convertValue(node, Object.class);
                out().println(template.execute(data));
            }
            // docker's template output for nothing found is one empty line
            if (found.isEmpty()) out().println();
        }
        if (!errors.isEmpty()) {
            throw new CliException(1, String.join("\n", errors));
        }
        return 0;
    }

    private JsonNode lookup(EngineClient client, String kind, String name) {
        if (kind == null || kind.equals("container")) {
            try {
                return client.inspectContainer(name, size);
            } catch (EngineApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        if (kind == null || kind.equals("image")) {
            try {
                return client.inspectImage(name);
            } catch (EngineApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        if (kind != null && kind.equals("network")) {
            // docker network inspect and inspect --type network show the daemon's own "network X not found".
            try {
                return client.inspectNetwork(name);
            } catch (EngineApiException e) {
                if (!e.isNotFound()) throw e;
                daemonError = "Error response from daemon: " + e.getMessage();
                return null;
            }
        }
        if (kind == null || kind.equals("volume")) {
            try {
                return client.inspectVolume(name);
            } catch (EngineApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        if (kind == null) {
            try {
                return client.inspectNetwork(name);
            } catch (EngineApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return null;
    }
}
