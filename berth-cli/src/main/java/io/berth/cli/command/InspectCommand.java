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
import io.berth.cli.CommandModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code inspect}, {@code container inspect}, {@code image inspect}, {@code volume inspect}, {@code network inspect}: the daemon's JSON documents,
 * indented like docker's, or each rendered through {@code -f}. Without --type a name is looked up
 * as a container first, then as an image, then as a volume, then as a network.
 */
public final class InspectCommand extends ApiCommand implements CommandModel.InCode {

    String format;

    String type;

    boolean size;

    boolean help;

    List<String> names;

    private final String fixedType;
    /** The daemon's own words for the name just looked up, when docker shows them (networks). */
    private String daemonError;

    /** Built in code ({@link CommandModel}): one of the commands typed most. */
    @Override
    public CommandSpec model() {
        CommandModel model = CommandModel.of(this, "inspect", "Return low-level information on Docker objects");
        model.add(OptionSpec.builder("-f", "--format").paramLabel("string")
                .description("Format output using a custom template"),
                String.class, v -> format = v, () -> format);
        model.add(OptionSpec.builder("--type").paramLabel("string")
                .description("Only inspect objects of the given type"),
                String.class, v -> type = v, () -> type);
        model.add(OptionSpec.builder("-s", "--size")
                .description("Display total file sizes if the type is container"),
                boolean.class, v -> size = v, () -> size);
        model.add(OptionSpec.builder("--help")
                .description("Print usage").usageHelp(true),
                boolean.class, v -> help = v, () -> help);
        model.addPositionalList(PositionalParamSpec.builder().paramLabel("NAME|ID").arity("1..*").required(true),
                String.class, v -> names = v, () -> names);

        spec = model.spec();
        return spec;
    }

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
