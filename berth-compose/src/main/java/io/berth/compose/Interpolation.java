package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Compose's variable substitution in values (never in keys): {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-default}} / {@code ${VAR-default}}, {@code ${VAR:?error}} / {@code ${VAR?error}},
 * {@code ${VAR:+alt}} / {@code ${VAR+alt}}, nested in defaults, and {@code $$} for a literal dollar.
 * An unset variable without a default becomes "" with a warning, as Compose does.
 */
final class Interpolation {
    private Interpolation() {}

    /** Interpolates every string value of the tree in place. */
    static JsonNode tree(JsonNode node, Function<String, String> lookup, String source, Consumer<String> warn) {
        switch (node) {
            case ObjectNode o -> o.properties().forEach(e -> e.setValue(tree(e.getValue(), lookup, source, warn)));
            case ArrayNode a -> {
                for (int i = 0; i < a.size(); i++) {
                    a.set(i, tree(a.get(i), lookup, source, warn));
                }
            }
            case TextNode t -> {
                return TextNode.valueOf(interpolate(t.textValue(), lookup, source, warn));
            }
            default -> { }
        }
        return node;
    }

    static String interpolate(String s, Function<String, String> lookup, String source) {
        return interpolate(s, lookup, source, w -> { });
    }

    static String interpolate(String s, Function<String, String> lookup, String source, Consumer<String> warn) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char n = s.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
            } else if (n == '{') {
                int end = closingBrace(s, i + 2);
                if (end < 0) {
                    throw new ComposeException("invalid interpolation format for " + source + ": \"" + s
                            + "\"; you may need to escape any $ with another $");
                }
                out.append(braced(s.substring(i + 2, end), s, lookup, source, warn));
                i = end + 1;
            } else if (Character.isLetter(n) || n == '_') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.append(value(s.substring(i + 1, j), lookup, warn));
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String braced(String expr, String whole, Function<String, String> lookup, String source, Consumer<String> warn) {
        int j = 0;
        while (j < expr.length() && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '_')) {
            j++;
        }
        String name = expr.substring(0, j);
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            throw new ComposeException("invalid interpolation format for " + source + ": \"" + whole
                    + "\"; you may need to escape any $ with another $");
        }
        String rest = expr.substring(j);
        String v = lookup.apply(name);
        if (rest.isEmpty()) {
            return value(name, lookup, warn);
        }
        boolean colon = rest.startsWith(":");
        String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.substring(0, 1);
        String arg = rest.substring(colon ? 2 : 1);
        boolean missing = colon ? v == null || v.isEmpty() : v == null;
        switch (op) {
            case "-" -> {
                return missing ? interpolate(arg, lookup, source, warn) : v;
            }
            case "?" -> {
                if (missing) {
                    throw new ComposeException("required variable " + name + " is missing a value"
                            + (arg.isEmpty() ? "" : ": " + interpolate(arg, lookup, source, warn)));
                }
                return v;
            }
            case "+" -> {
                return missing ? "" : interpolate(arg, lookup, source, warn);
            }
            default -> throw new ComposeException("invalid interpolation format for " + source + ": \"" + whole
                    + "\"; you may need to escape any $ with another $");
        }
    }

    private static String value(String name, Function<String, String> lookup, Consumer<String> warn) {
        String v = lookup.apply(name);
        if (v == null) {
            warn.accept("The \"" + name + "\" variable is not set. Defaulting to a blank string.");
            return "";
        }
        return v;
    }

    private static int closingBrace(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') depth++;
            if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }
}
