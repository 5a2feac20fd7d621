package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The normalised model as {@code config} prints it: block YAML that {@link YamlTree} reads back to the same tree.
 * A string is written plain only when YAML 1.2's core schema (the reader's) would read it back as that string;
 * "81" in a command, "true", "0x10" or "1e3" keep their quotes, as Compose prints them.
 */
final class ConfigYaml {
    private ConfigYaml() {}

    /** The core schema's implicit types, so that the dumper quotes every string that would resolve to another. */
    private static final class CoreSchemaResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, YamlTree.BOOL, "tTfF");
            addImplicitResolver(Tag.INT, YamlTree.INT, "-+0123456789");
            addImplicitResolver(Tag.INT, YamlTree.OCT, "0");
            addImplicitResolver(Tag.INT, YamlTree.HEX, "0");
            addImplicitResolver(Tag.FLOAT, YamlTree.FLOAT, "-+.0123456789");
            addImplicitResolver(Tag.NULL, YamlTree.NULL, "~nN\0");
        }
    }

    static String write(JsonNode model) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE);
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options, new CoreSchemaResolver());
        return yaml.dump(plain(model));
    }

    /**
     * A copy of the model with every {@code $} of a value doubled, as Compose prints it: the model is interpolated
     * already, and reading the output again must not interpolate it a second time ({@code $$HOME} stays a literal
     * {@code $HOME}). Keys are never interpolated, so they stay as they are.
     */
    static JsonNode escapeDollars(JsonNode n) {
        if (n.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            n.properties().forEach(e -> o.set(e.getKey(), escapeDollars(e.getValue())));
            return o;
        }
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> a.add(escapeDollars(x)));
            return a;
        }
        return n.isTextual() ? com.fasterxml.jackson.databind.node.TextNode.valueOf(n.asText().replace("$", "$$")) : n;
    }

    /** Maps, lists and scalars in the tree's order, the shapes SnakeYAML represents. */
    private static Object plain(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(plain(x)));
            return l;
        }
        if (n.isNull() || n.isMissingNode()) return null;
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) return n.bigIntegerValue().bitLength() < 63 ? (Object) n.longValue() : n.bigIntegerValue();
        if (n.isNumber()) return n.doubleValue();
        return n.asText();
    }
}
