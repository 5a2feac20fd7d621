package io.berth.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The subset of Go's text/template that docker's {@code --format} users rely on: field chains
 * ({@code .State.Status}), {@code $} and range variables, pipelines, parentheses, string and
 * number literals, {@code if}/{@code else}/{@code range}/{@code with}/{@code end}, trim markers,
 * and docker's functions {@code json}, {@code index}, {@code join}, {@code split}, {@code upper},
 * {@code lower}, {@code title}, {@code len}, {@code println}, {@code truncate}, {@code pad}.
 *
 * <p>Data is plain Java: {@code Map} (objects), {@code List}, {@code String}, numbers, booleans,
 * null, and {@code Function<List<Object>, Object>} for methods with arguments (ps's {@code .Label}).
 */
public final class GoTemplate {

    /** What Go prints for a missing map key. */
    static final String NO_VALUE = "<no value>";

    private final List<Node> nodes;

    private GoTemplate(List<Node> nodes) {
        this.nodes = nodes;
    }

    public static GoTemplate parse(String text) {
        Parser parser = new Parser(lex(text));
        List<Node> nodes = parser.parseList();
        if (parser.pos < parser.items.size()) {
            throw new TemplateException("template: unexpected {{" + parser.items.get(parser.pos).text + "}}");
        }
        return new GoTemplate(nodes);
    }

    public String execute(Object data) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> vars = new HashMap<>();
        vars.put("$", data);
        run(nodes, data, vars, out);
        return out.toString();
    }

    // ---- lexing: text and {{actions}} ---------------------------------------------------------

    private record Item(boolean action, String text) {}

    private static List<Item> lex(String text) {
        List<Item> items = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("{{", i);
            if (open < 0) {
                items.add(new Item(false, text.substring(i)));
                break;
            }
            String before = text.substring(i, open);
            int start = open + 2;
            if (text.startsWith("- ", start) || text.startsWith("-\t", start) || text.startsWith("-\n", start)) {
                before = before.stripTrailing();
                start++;
            }
            int close = findClose(text, start);
            if (close < 0) {
                throw new TemplateException("template: unclosed action");
            }
            int end = close;
            boolean trimAfter = false;
            if (close > start && text.charAt(close - 1) == '-' && close - 2 >= start && Character.isWhitespace(text.charAt(close - 2))) {
                end = close - 1;
                trimAfter = true;
            }
            if (!before.isEmpty()) {
                items.add(new Item(false, before));
            }
            items.add(new Item(true, text.substring(start, end).trim()));
            i = close + 2;
            if (trimAfter) {
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
            }
        }
        return items;
    }

    private static int findClose(String text, int from) {
        boolean quoted = false;
        for (int i = from; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '}' && text.charAt(i + 1) == '}') {
                return i;
            }
        }
        return -1;
    }

    // ---- syntax tree ---------------------------------------------------------------------------

    private sealed interface Node permits Text, Action, Branch, Loop {}

    private record Text(String text) implements Node {}

    private record Action(Pipeline pipeline) implements Node {}

    /** {@code if} (or {@code with}, which also rebinds dot). */
    private record Branch(boolean with, Pipeline condition, List<Node> then, List<Node> otherwise) implements Node {}

    private record Loop(String keyVar, String valueVar, Pipeline source, List<Node> body, List<Node> otherwise) implements Node {}

    private record Pipeline(String declaredVar, List<Cmd> commands) {}

    private record Cmd(List<Term> terms) {}

    private sealed interface Term permits Field, Literal, Identifier, Nested {}

    /** {@code .A.B}, {@code .}, {@code $x.A}: a root ("." or a variable) and a chain of keys. */
    private record Field(String root, List<String> chain) implements Term {}

    private record Literal(Object value) implements Term {}

    private record Identifier(String name) implements Term {}

    private record Nested(Pipeline pipeline) implements Term {}

    private static final class Parser {
        final List<Item> items;
        int pos;

        Parser(List<Item> items) {
            this.items = items;
        }

        List<Node> parseList() {
            List<Node> nodes = new ArrayList<>();
            while (pos < items.size()) {
                Item item = items.get(pos);
                if (!item.action) {
                    nodes.add(new Text(item.text));
                    pos++;
                    continue;
                }
                String a = item.text;
                if (a.equals("end") || a.equals("else") || a.startsWith("else ")) {
                    return nodes;
                }
                pos++;
                if (a.startsWith("/*")) {
                    continue;
                }
                if (a.startsWith("if ") || a.startsWith("with ")) {
                    boolean with = a.startsWith("with ");
                    Pipeline condition = parsePipeline(a.substring(with ? 5 : 3));
                    nodes.add(parseBranch(with, condition));
                } else if (a.startsWith("range ")) {
                    nodes.add(parseRange(a.substring(6).trim()));
                } else {
                    nodes.add(new Action(parsePipeline(a)));
                }
            }
            return nodes;
        }

        private Node parseBranch(boolean with, Pipeline condition) {
            List<Node> then = parseList();
            List<Node> otherwise = List.of();
            String closing = expectClosing();
            if (closing.startsWith("else if ")) {
                otherwise = List.of(parseBranch(false, parsePipeline(closing.substring(8))));
                return new Branch(with, condition, then, otherwise);
            }
            if (closing.equals("else")) {
                otherwise = parseList();
                if (!expectClosing().equals("end")) {
                    throw new TemplateException("template: expected {{end}}");
                }
            }
            return new Branch(with, condition, then, otherwise);
        }

        private Node parseRange(String spec) {
            String keyVar = null;
            String valueVar = null;
            int assign = spec.indexOf(":=");
            if (assign > 0) {
                String[] vars = spec.substring(0, assign).split(",");
                if (vars.length == 2) {
                    keyVar = vars[0].trim();
                    valueVar = vars[1].trim();
                } else {
                    valueVar = vars[0].trim();
                }
                spec = spec.substring(assign + 2);
            }
            Pipeline source = parsePipeline(spec);
            List<Node> body = parseList();
            List<Node> otherwise = List.of();
            String closing = expectClosing();
            if (closing.equals("else")) {
                otherwise = parseList();
                closing = expectClosing();
            }
            if (!closing.equals("end")) {
                throw new TemplateException("template: expected {{end}} after range");
            }
            return new Loop(keyVar, valueVar, source, body, otherwise);
        }

        private String expectClosing() {
            if (pos >= items.size()) {
                throw new TemplateException("template: unexpected EOF");
            }
            return items.get(pos++).text;
        }
    }

    static Pipeline parsePipeline(String text) {
        Tokens tokens = new Tokens(tokenize(text));
        Pipeline pipeline = parsePipeline(tokens);
        if (tokens.hasMore()) {
            throw new TemplateException("template: unexpected \"" + tokens.peek() + "\" in operand");
        }
        return pipeline;
    }

    private static Pipeline parsePipeline(Tokens tokens) {
        String declared = null;
        if (tokens.size() - tokens.pos >= 2 && tokens.peek().startsWith("$") && tokens.peekAt(1).equals(":=")) {
            declared = tokens.next();
            tokens.next();
        }
        List<Cmd> commands = new ArrayList<>();
        List<Term> terms = new ArrayList<>();
        while (tokens.hasMore() && !tokens.peek().equals(")")) {
            String t = tokens.next();
            if (t.equals("|")) {
                if (terms.isEmpty()) {
                    throw new TemplateException("template: missing command before |");
                }
                commands.add(new Cmd(terms));
                terms = new ArrayList<>();
            } else if (t.equals("(")) {
                Pipeline inner = parsePipeline(tokens);
                if (!tokens.hasMore() || !tokens.next().equals(")")) {
                    throw new TemplateException("template: unclosed left paren");
                }
                terms.add(new Nested(inner));
            } else {
                terms.add(term(t));
            }
        }
        if (terms.isEmpty()) {
            throw new TemplateException("template: missing value for command");
        }
        commands.add(new Cmd(terms));
        return new Pipeline(declared, commands);
    }

    private static Term term(String t) {
        if (t.startsWith("\"") || t.startsWith("`")) {
            return new Literal(unquote(t));
        }
        if (t.equals("true") || t.equals("false")) {
            return new Literal(Boolean.parseBoolean(t));
        }
        if (t.equals("nil")) {
            return new Literal(null);
        }
        if (!t.isEmpty() && (Character.isDigit(t.charAt(0)) || (t.charAt(0) == '-' && t.length() > 1))) {
            try {
                return new Literal(Long.parseLong(t));
            } catch (NumberFormatException e) {
                return new Literal(Double.parseDouble(t));
            }
        }
        if (t.startsWith(".") || t.startsWith("$")) {
            String root = t.startsWith(".") ? "." : t.contains(".") ? t.substring(0, t.indexOf('.')) : t;
            String rest = t.startsWith(".") ? t.substring(1) : t.substring(root.length());
            if (rest.startsWith(".")) {
                rest = rest.substring(1);
            }
            List<String> chain = rest.isEmpty() ? List.of() : List.of(rest.split("\\."));
            return new Field(root, chain);
        }
        return new Identifier(t);
    }

    private static String unquote(String t) {
        if (t.startsWith("`")) {
            return t.substring(1, t.length() - 1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < t.length() - 1; i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length() - 1) {
                char n = t.charAt(++i);
                out.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<String> tokenize(String s) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == '|') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '"' || c == '`') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    j += (c == '"' && s.charAt(j) == '\\') ? 2 : 1;
                }
                if (j >= s.length()) {
                    throw new TemplateException("template: unterminated quoted string");
                }
                tokens.add(s.substring(i, j + 1));
                i = j + 1;
            } else if (c == ':' && i + 1 < s.length() && s.charAt(i + 1) == '=') {
                tokens.add(":=");
                i += 2;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "()|\"".indexOf(s.charAt(j)) < 0
                        && !(s.charAt(j) == ':' && j + 1 < s.length() && s.charAt(j + 1) == '=')) {
                    j++;
                }
                String word = s.substring(i, j);
                if (word.endsWith(",")) {
                    word = word.substring(0, word.length() - 1);
                }
                tokens.add(word);
                i = j;
            }
        }
        return tokens;
    }

    private static final class Tokens {
        final List<String> list;
        int pos;

        Tokens(List<String> list) {
            this.list = list;
        }

        boolean hasMore() {
            return pos < list.size();
        }

        String peek() {
            return list.get(pos);
        }

        String peekAt(int ahead) {
            return list.get(pos + ahead);
        }

        String next() {
            return list.get(pos++);
        }

        int size() {
            return list.size();
        }
    }

    // ---- execution -----------------------------------------------------------------------------

    private static void run(List<Node> nodes, Object dot, Map<String, Object> vars, StringBuilder out) {
        for (Node node : nodes) {
            switch (node) {
                case Text t -> out.append(t.text());
                case Action a -> {
                    Object value = eval(a.pipeline(), dot, vars);
                    if (a.pipeline().declaredVar() == null) {
                        out.append(print(value));
                    }
                }
                case Branch b -> {
                    Object value = eval(b.condition(), dot, vars);
                    if (truthy(value)) {
                        run(b.then(), b.with() ? value : dot, vars, out);
                    } else {
                        run(b.otherwise(), dot, vars, out);
                    }
                }
                case Loop l -> runLoop(l, dot, vars, out);
            }
        }
    }

    private static void runLoop(Loop loop, Object dot, Map<String, Object> vars, StringBuilder out) {
        Object source = eval(loop.source(), dot, vars);
        List<Map.Entry<Object, Object>> entries = new ArrayList<>();
        if (source instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                entries.add(Map.entry(i, list.get(i) == null ? NullValue.INSTANCE : list.get(i)));
            }
        } else if (source instanceof Map<?, ?> map) {
            new TreeMap<>(stringKeys(map)).forEach((k, v) -> entries.add(Map.entry(k, v == null ? NullValue.INSTANCE : v)));
        } else if (source != null && source != Missing.INSTANCE) {
            throw new TemplateException("template: range can't iterate over " + print(source));
        }
        if (entries.isEmpty()) {
            run(loop.otherwise(), dot, vars, out);
            return;
        }
        for (Map.Entry<Object, Object> e : entries) {
            Object value = e.getValue() == NullValue.INSTANCE ? null : e.getValue();
            Map<String, Object> scope = new HashMap<>(vars);
            if (loop.keyVar() != null) {
                scope.put(loop.keyVar(), e.getKey());
            }
            if (loop.valueVar() != null) {
                scope.put(loop.valueVar(), value);
            }
            run(loop.body(), value, scope, out);
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new HashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private enum NullValue { INSTANCE }

    private enum Missing { INSTANCE }

    private static Object eval(Pipeline pipeline, Object dot, Map<String, Object> vars) {
        Object value = null;
        boolean first = true;
        for (Cmd cmd : pipeline.commands()) {
            value = evalCommand(cmd, dot, vars, first ? null : new Object[] {value});
            first = false;
        }
        if (pipeline.declaredVar() != null) {
            vars.put(pipeline.declaredVar(), value);
        }
        return value;
    }

    private static Object evalCommand(Cmd cmd, Object dot, Map<String, Object> vars, Object[] piped) {
        Term head = cmd.terms().getFirst();
        List<Object> args = new ArrayList<>();
        for (Term t : cmd.terms().subList(1, cmd.terms().size())) {
            args.add(evalTerm(t, dot, vars));
        }
        if (piped != null) {
            args.add(piped[0]);
        }
        if (head instanceof Identifier id) {
            return Functions.call(id.name(), args);
        }
        Object value = evalTerm(head, dot, vars);
        if (value instanceof Function<?, ?> method) {
            @SuppressWarnings("unchecked")
            Function<List<Object>, Object> f = (Function<List<Object>, Object>) method;
            return f.apply(args);
        }
        if (!args.isEmpty()) {
            throw new TemplateException("template: can't give argument to non-function " + print(value));
        }
        return value;
    }

    private static Object evalTerm(Term term, Object dot, Map<String, Object> vars) {
        return switch (term) {
            case Literal l -> l.value();
            case Nested n -> eval(n.pipeline(), dot, vars);
            case Identifier id -> Functions.call(id.name(), List.of());
            case Field f -> {
                Object value;
                if (f.root().equals(".")) {
                    value = dot;
                } else if (vars.containsKey(f.root())) {
                    value = vars.get(f.root());
                } else {
                    throw new TemplateException("template: undefined variable: " + f.root());
                }
                for (String key : f.chain()) {
                    value = field(value, key);
                }
                yield value;
            }
        };
    }

    private static Object field(Object value, String key) {
        if (value instanceof Map<?, ?> map) {
            if (!map.containsKey(key)) {
                return Missing.INSTANCE;
            }
            return map.get(key);
        }
        if (value == null || value == Missing.INSTANCE) {
            return Missing.INSTANCE;
        }
        throw new TemplateException("template: can't evaluate field " + key + " in type " + typeName(value));
    }

    private static String typeName(Object value) {
        return switch (value) {
            case String s -> "string";
            case List<?> l -> "[]interface {}";
            case Number n -> "float64";
            case Boolean b -> "bool";
            default -> value.getClass().getSimpleName();
        };
    }

    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Missing m -> false;
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case Number n -> n.doubleValue() != 0;
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    /** Formats a value the way Go's fmt %v prints decoded JSON. */
    static String print(Object value) {
        return switch (value) {
            case null -> NO_VALUE;
            case Missing m -> NO_VALUE;
            case String s -> s;
            case Double d -> formatDouble(d);
            case Float f -> formatDouble(f.doubleValue());
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case List<?> list -> {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < list.size(); i++) {
                    sb.append(i == 0 ? "" : " ").append(print(list.get(i)));
                }
                yield sb.append(']').toString();
            }
            case Map<?, ?> map -> {
                StringBuilder sb = new StringBuilder("map[");
                boolean first = true;
                for (Map.Entry<String, Object> e : new TreeMap<>(stringKeys(map)).entrySet()) {
                    sb.append(first ? "" : " ").append(e.getKey()).append(':').append(print(e.getValue()));
                    first = false;
                }
                yield sb.append(']').toString();
            }
            default -> value.toString();
        };
    }

    private static String formatDouble(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    static String json(Object value) {
        try {
            return JsonFunction.MAPPER.writeValueAsString(value == Missing.INSTANCE ? null : withoutMethods(value));
        } catch (JsonProcessingException e) {
            throw new TemplateException("template: json: " + e.getMessage());
        }
    }

    /** Holds the {@code json} function's mapper: building one costs more than a whole ps, which rarely needs it. */
    private static final class JsonFunction {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final java.util.regex.Pattern FIELD_NAME = java.util.regex.Pattern.compile("[A-Z][A-Za-z0-9]*");

    /**
     * The value as docker's {@code json} writes it from its Go types: a struct's fields in their declared order (the
     * daemon's order, which is Docker's), a map's entries sorted by key (Go's encoding of maps). An object whose
     * keys are all exported Go field names (NetworkResource's Name, EndpointID...) is taken as a struct; any other
     * (labels, options, container ids, "80/tcp") as a map. Method values (such as ps's {@code .Label}) are not
     * data: Go's json leaves methods out too.
     */
    private static Object withoutMethods(Object value) {
        if (value instanceof Map<?, ?> map) {
            boolean struct = map.keySet().stream().allMatch(k -> k instanceof String s && FIELD_NAME.matcher(s).matches());
            Map<Object, Object> copy = struct ? new java.util.LinkedHashMap<>() : new TreeMap<>(java.util.Comparator.comparing(String::valueOf));
            map.forEach((k, v) -> {
                if (!(v instanceof Function<?, ?>)) {
                    copy.put(k, withoutMethods(v));
                }
            });
            return copy;
        }
        if (value instanceof List<?> list) return list.stream().map(GoTemplate::withoutMethods).toList();
        return value;
    }

    /** docker's template functions. */
    private static final class Functions {
        static Object call(String name, List<Object> args) {
            return switch (name) {
                case "json" -> json(arg(args, 0, name));
                case "index" -> index(args);
                case "join" -> {
                    Object list = arg(args, 0, name);
                    String sep = String.valueOf(arg(args, 1, name));
                    List<String> parts = new ArrayList<>();
                    if (list instanceof List<?> l) {
                        l.forEach(v -> parts.add(print(v)));
                    }
                    yield String.join(sep, parts);
                }
                case "split" -> List.<Object>of(print(arg(args, 0, name)).split(java.util.regex.Pattern.quote(print(arg(args, 1, name))), -1));
                case "upper" -> print(arg(args, 0, name)).toUpperCase(Locale.ROOT);
                case "lower" -> print(arg(args, 0, name)).toLowerCase(Locale.ROOT);
                case "title" -> title(print(arg(args, 0, name)));
                case "len" -> switch (arg(args, 0, name)) {
                    case List<?> l -> (long) l.size();
                    case Map<?, ?> m -> (long) m.size();
                    case String s -> (long) s.length();
                    default -> throw new TemplateException("template: len of unsupported type");
                };
                case "println" -> {
                    List<String> parts = new ArrayList<>();
                    args.forEach(a -> parts.add(print(a)));
                    yield String.join(" ", parts) + "\n";
                }
                case "print" -> {
                    StringBuilder sb = new StringBuilder();
                    args.forEach(a -> sb.append(print(a)));
                    yield sb.toString();
                }
                case "truncate" -> {
                    String s = print(arg(args, 0, name));
                    int n = ((Number) arg(args, 1, name)).intValue();
                    yield s.length() > n ? s.substring(0, n) : s;
                }
                case "pad" -> {
                    String s = print(arg(args, 0, name));
                    int before = ((Number) arg(args, 1, name)).intValue();
                    int after = ((Number) arg(args, 2, name)).intValue();
                    yield " ".repeat(before) + s + " ".repeat(after);
                }
                case "not" -> !truthy(arg(args, 0, name));
                case "eq" -> {
                    Object a = arg(args, 0, name);
                    boolean any = false;
                    for (Object b : args.subList(1, args.size())) {
                        any |= print(a).equals(print(b));
                    }
                    yield any;
                }
                case "ne" -> !print(arg(args, 0, name)).equals(print(arg(args, 1, name)));
                default -> throw new TemplateException("template: function \"" + name + "\" not defined");
            };
        }

        private static Object arg(List<Object> args, int i, String name) {
            if (i >= args.size()) {
                throw new TemplateException("template: wrong number of args for " + name);
            }
            Object v = args.get(i);
            return v == Missing.INSTANCE ? null : v;
        }

        private static Object index(List<Object> args) {
            Object value = arg(args, 0, "index");
            for (Object key : args.subList(1, args.size())) {
                if (value instanceof Map<?, ?> map) {
                    value = map.get(String.valueOf(key));
                } else if (value instanceof List<?> list && key instanceof Number n) {
                    int i = n.intValue();
                    if (i < 0 || i >= list.size()) {
                        throw new TemplateException("template: index out of range: " + i);
                    }
                    value = list.get(i);
                } else if (value == null) {
                    return null;
                } else {
                    throw new TemplateException("template: can't index item of type " + typeName(value));
                }
            }
            return value;
        }

        private static String title(String s) {
            StringBuilder sb = new StringBuilder(s.length());
            boolean start = true;
            for (char c : s.toCharArray()) {
                sb.append(start ? Character.toTitleCase(c) : c);
                start = !Character.isLetterOrDigit(c);
            }
            return sb.toString();
        }
    }
}
