package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Reads a Compose file into a JSON tree with YAML 1.2's core schema, as Compose's Go YAML does:
 * {@code on}/{@code yes} stay strings (SnakeYAML's own resolver would make them booleans), merge
 * keys ({@code <<}) and anchors are applied, and the merge tags {@code !reset} / {@code !override}
 * are kept as markers for {@link Merge}; any other tag is refused.
 */
final class YamlTree {
    /** Marker keys: an object {RESET: true} or {OVERRIDE: value}; NUL cannot appear in a YAML key Compose accepts. */
    static final String RESET = "\u0000reset";
    static final String OVERRIDE = "\u0000override";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final Pattern INT = Pattern.compile("[-+]?[0-9]+");
    static final Pattern OCT = Pattern.compile("0o[0-7]+");
    static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
    static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
    static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");

    private YamlTree() {}

    static JsonNode parse(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(100);
        Node root;
        try {
            root = new Yaml(options).compose(new java.io.StringReader(text));
        } catch (YAMLException e) {
            throw new ComposeException("parsing " + source + ": " + e.getMessage());
        }
        if (root == null) {
            return F.objectNode();
        }
        return convert(root, source);
    }

    private static JsonNode convert(Node node, String source) {
        String tag = node.getTag().getValue();
        if (tag.equals("!reset")) {
            return F.objectNode().put(RESET, true);
        }
        JsonNode value = switch (node) {
            case ScalarNode s -> scalar(s, tag, source);
            case SequenceNode s -> {
                ArrayNode a = F.arrayNode();
                for (Node item : s.getValue()) {
                    a.add(convert(item, source));
                }
                yield a;
            }
            case MappingNode m -> mapping(m, source);
            default -> throw new ComposeException("parsing " + source + ": unsupported YAML node " + node.getNodeId());
        };
        if (tag.equals("!override")) {
            ObjectNode o = F.objectNode();
            o.set(OVERRIDE, value);
            return o;
        }
        if (tag.startsWith("!") && !tag.startsWith("!!")) {
            throw new ComposeException("parsing " + source + ": unsupported YAML tag " + tag + " at line "
                    + (node.getStartMark().getLine() + 1));
        }
        return value;
    }

    private static ObjectNode mapping(MappingNode m, String source) {
        ObjectNode o = F.objectNode();
        List<ObjectNode> merged = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("<<") && k.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
                JsonNode v = convert(t.getValueNode(), source);
                if (v instanceof ObjectNode one) {
                    merged.add(one);
                } else if (v instanceof ArrayNode many) {
                    many.forEach(x -> merged.add((ObjectNode) x));
                }
                continue;
            }
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new ComposeException("parsing " + source + ": a mapping key must be a scalar (line "
                        + (t.getKeyNode().getStartMark().getLine() + 1) + ")");
            }
            o.set(k.getValue(), convert(t.getValueNode(), source));
        }
        for (ObjectNode base : merged) {
            base.properties().forEach(e -> {
                if (!o.has(e.getKey())) {
                    o.set(e.getKey(), e.getValue().deepCopy());
                }
            });
        }
        return o;
    }

    private static JsonNode scalar(ScalarNode s, String tag, String source) {
        String v = s.getValue();
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN || tag.equals("tag:yaml.org,2002:str")) {
            return F.textNode(v);
        }
        if (NULL.matcher(v).matches()) return F.nullNode();
        if (BOOL.matcher(v).matches()) return F.booleanNode(v.equalsIgnoreCase("true"));
        if (INT.matcher(v).matches()) return number(new BigInteger(v.startsWith("+") ? v.substring(1) : v));
        if (OCT.matcher(v).matches()) return number(new BigInteger(v.substring(2), 8));
        if (HEX.matcher(v).matches()) return number(new BigInteger(v.substring(2), 16));
        if (FLOAT.matcher(v).matches()) return F.numberNode(Double.parseDouble(v));
        return F.textNode(v);
    }

    private static JsonNode number(BigInteger n) {
        return n.bitLength() < 63 ? F.numberNode(n.longValue()) : F.numberNode(n);
    }
}
