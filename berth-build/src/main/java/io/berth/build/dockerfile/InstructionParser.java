package io.berth.build.dockerfile;

import io.berth.build.dockerfile.Instruction.ArgDecl;
import io.berth.build.dockerfile.Instruction.Command;
import io.berth.build.dockerfile.Instruction.Heredoc;
import io.berth.build.dockerfile.Instruction.KeyValue;
import io.berth.build.dockerfile.Instruction.SourceLocation;
import io.berth.oci.errors.InvalidArgumentException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one {@link LogicalLine} into an {@link Instruction}: instruction word, leading {@code --flags}, then the
 * instruction's own argument syntax. Heredoc bodies are pulled from the following physical lines through
 * {@link HeredocBodies}, because only this class knows which words of the line are heredoc markers.
 */
final class InstructionParser {

    /** Reads the body of a heredoc from the lines after the instruction. */
    interface HeredocBodies {
        /** Returns the body (each line with its "\n"), or null when the file ended before the terminator. */
        String read(String terminator, boolean stripTabs);
    }

    private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)([^<]*)$");
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final Pattern DURATION = Pattern.compile("^(0|([0-9]*(\\.[0-9]*)?(ns|us|µs|ms|s|m|h))+)$");
    private static final int MAX_SHOWN = 40;

    private final String file;
    private final char escape;

    InstructionParser(String file, char escape) {
        this.file = file;
        this.escape = escape;
    }

    private record Flag(String name, String value, int offset) {
    }

    /** What a flag accepts: a string value, optionally repeatable, or a boolean. */
    private enum FlagKind { STRING, REPEATABLE, BOOLEAN }

    Instruction parse(LogicalLine line, HeredocBodies bodies) {
        String text = line.text();
        int start = skipSpaces(text, 0);
        int end = text.length();
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        int wordEnd = start;
        while (wordEnd < end && !Character.isWhitespace(text.charAt(wordEnd))) {
            wordEnd++;
        }
        String keyword = text.substring(start, wordEnd);
        String original = text.substring(start, end);
        SourceLocation at = line.locate(file, start);
        String name = keyword.toUpperCase(Locale.ROOT);
        Context c = new Context(line, text, original, at, name, skipSpaces(text, wordEnd), end, bodies);
        return switch (name) {
            case "FROM" -> from(c);
            case "RUN" -> run(c);
            case "CMD" -> new Instruction.Cmd(at, original, command(c));
            case "ENTRYPOINT" -> new Instruction.Entrypoint(at, original, command(c));
            case "ENV" -> new Instruction.Env(at, original, nameValues(c));
            case "LABEL" -> new Instruction.Label(at, original, nameValues(c));
            case "ARG" -> arg(c);
            case "EXPOSE" -> new Instruction.Expose(at, original, atLeastOne(c, Words.fields(c.rest(Map.of()))));
            case "WORKDIR" -> new Instruction.Workdir(at, original, exactlyOne(c, c.rest(Map.of())));
            case "USER" -> new Instruction.User(at, original, exactlyOne(c, c.rest(Map.of())));
            case "VOLUME" -> volume(c);
            case "COPY" -> copy(c, false);
            case "ADD" -> copy(c, true);
            case "SHELL" -> shell(c);
            case "STOPSIGNAL" -> new Instruction.StopSignal(at, original, oneWord(c, c.rest(Map.of())));
            case "HEALTHCHECK" -> healthcheck(c);
            case "ONBUILD" -> onBuild(c);
            case "MAINTAINER" -> new Instruction.Maintainer(at, original, exactlyOne(c, c.rest(Map.of())));
            default -> throw error(line, start, "unknown instruction: " + shown(keyword));
        };
    }

    /** The parts of one instruction's text that every form needs; flags are parsed on first request. */
    private final class Context {
        final LogicalLine line;
        final String text;
        final String original;
        final SourceLocation at;
        final String name;
        final int argsStart;
        final int end;
        final HeredocBodies bodies;
        int restStart = -1;
        Map<String, String> flags;

        Context(LogicalLine line, String text, String original, SourceLocation at, String name, int argsStart,
                int end, HeredocBodies bodies) {
            this.line = line;
            this.text = text;
            this.original = original;
            this.at = at;
            this.name = name;
            this.argsStart = argsStart;
            this.end = end;
            this.bodies = bodies;
        }

        /** Parses the leading flags against what this instruction accepts; keys are names without "--". */
        Map<String, String> flags(Map<String, FlagKind> accepted) {
            List<Flag> found = new ArrayList<>();
            restStart = extractFlags(text, argsStart, end, found);
            Map<String, String> result = new LinkedHashMap<>();
            for (Flag flag : found) {
                FlagKind kind = accepted.get(flag.name());
                if (kind == null) {
                    throw error(line, flag.offset(), "unknown flag: " + shown(flag.name()) + " (" + name
                            + (accepted.isEmpty() ? " takes no flags" : " accepts --" + String.join(", --", accepted.keySet())) + ")");
                }
                String value = switch (kind) {
                    case BOOLEAN -> {
                        String v = flag.value() == null ? "true" : flag.value().toLowerCase(Locale.ROOT);
                        if (!v.equals("true") && !v.equals("false")) {
                            throw error(line, flag.offset(), "expecting boolean value for flag " + flag.name() + ", not: " + shown(flag.value()));
                        }
                        yield v;
                    }
                    case STRING, REPEATABLE -> {
                        if (flag.value() == null || flag.value().isEmpty()) {
                            throw error(line, flag.offset(), "missing a value on flag: " + flag.name());
                        }
                        yield flag.value();
                    }
                };
                String previous = result.get(flag.name());
                if (previous != null) {
                    if (kind != FlagKind.REPEATABLE) {
                        throw error(line, flag.offset(), "duplicate flag specified: " + flag.name());
                    }
                    value = previous + "\n" + value;
                }
                result.put(flag.name(), value);
            }
            flags = Collections.unmodifiableMap(result);
            return flags;
        }

        /** The arguments after the flags (the instruction must not take flags if none were parsed yet). */
        String rest(Map<String, FlagKind> accepted) {
            if (restStart < 0) {
                flags(accepted);
            }
            return text.substring(restStart, end);
        }

        String rest() {
            return rest(Map.of());
        }

        InvalidArgumentException fail(String message) {
            return error(line, argsStart, message);
        }

        InvalidArgumentException failAtRest(String message) {
            return error(line, restStart < 0 ? argsStart : restStart, message);
        }
    }

    private Instruction from(Context c) {
        Map<String, String> flags = c.flags(Map.of("platform", FlagKind.STRING));
        List<String> words = Words.fields(c.rest());
        if (words.isEmpty()) {
            throw c.fail("FROM requires an image: FROM [--platform=<platform>] <image> [AS <name>]");
        }
        String alias = null;
        if (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")) {
            alias = words.get(2).toLowerCase(Locale.ROOT);
            if (!STAGE_NAME.matcher(alias).matches()) {
                throw c.failAtRest("invalid name for build stage: " + shown(words.get(2))
                        + ", name can't start with a number or contain symbols");
            }
        } else if (words.size() != 1) {
            throw c.failAtRest("FROM requires either one or three arguments: FROM [--platform=<platform>] <image> [AS <name>]");
        }
        return new Instruction.From(c.at, c.original, words.getFirst(), alias, flags.get("platform"));
    }

    private Instruction run(Context c) {
        Map<String, String> flags = c.flags(Map.of("mount", FlagKind.REPEATABLE, "network", FlagKind.STRING,
                "security", FlagKind.STRING));
        String network = flags.get("network");
        if (network != null && !Set.of("none", "default", "host").contains(network)) {
            throw c.fail("unsupported network mode for RUN --network: " + shown(network) + " (use none, default or host)");
        }
        String security = flags.get("security");
        if (security != null && !Set.of("sandbox", "insecure").contains(security)) {
            throw c.fail("unsupported RUN --security value: " + shown(security) + " (use sandbox or insecure)");
        }
        String rest = c.rest();
        List<String> exec = json(c, rest);
        if (exec != null) {
            return new Instruction.Run(c.at, c.original, new Command(false, exec), flags, List.of());
        }
        List<Heredoc> heredocs = heredocs(c, rest);
        if (rest.isEmpty()) {
            throw c.fail("RUN requires at least one argument");
        }
        return new Instruction.Run(c.at, c.original, new Command(true, List.of(rest)), flags, heredocs);
    }

    private Command command(Context c) {
        String rest = c.rest();
        List<String> exec = json(c, rest);
        if (exec != null) {
            return new Command(false, exec);
        }
        if (rest.isEmpty()) {
            throw c.fail(c.name + " requires at least one argument");
        }
        return new Command(true, List.of(rest));
    }

    private List<KeyValue> nameValues(Context c) {
        String rest = c.rest();
        List<String> words = Words.keepingQuotes(rest, escape);
        if (words.isEmpty()) {
            throw c.fail(c.name + " requires at least one argument");
        }
        if (!words.getFirst().contains("=")) {
            // Legacy form "ENV name value with spaces": one pair, the value is the rest of the line.
            int split = 0;
            while (split < rest.length() && !Character.isWhitespace(rest.charAt(split))) {
                split++;
            }
            String value = rest.substring(skipSpaces(rest, split));
            if (value.isEmpty()) {
                throw c.failAtRest(c.name + " must have two arguments (" + c.name + " <key>=<value> ...)");
            }
            return List.of(new KeyValue(rest.substring(0, split), value));
        }
        List<KeyValue> pairs = new ArrayList<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw c.failAtRest("syntax error - can't find = in " + shown(word) + ". Must be of the form: name=value");
            }
            if (eq == 0) {
                throw c.failAtRest(c.name + " names can not be blank");
            }
            pairs.add(new KeyValue(word.substring(0, eq), word.substring(eq + 1)));
        }
        return List.copyOf(pairs);
    }

    private Instruction arg(Context c) {
        List<String> words = Words.keepingQuotes(c.rest(), escape);
        if (words.isEmpty()) {
            throw c.fail("ARG requires at least one argument");
        }
        List<ArgDecl> decls = new ArrayList<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            if (name.isEmpty()) {
                throw c.failAtRest("ARG names can not be blank");
            }
            decls.add(new ArgDecl(name, eq < 0 ? null : word.substring(eq + 1)));
        }
        return new Instruction.Arg(c.at, c.original, List.copyOf(decls));
    }

    private Instruction volume(Context c) {
        String rest = c.rest();
        List<String> paths = json(c, rest);
        if (paths == null) {
            paths = Words.fields(rest);
        }
        if (paths.isEmpty()) {
            throw c.fail("VOLUME requires at least one argument");
        }
        for (String path : paths) {
            if (path.isBlank()) {
                throw c.failAtRest("VOLUME specified can not be an empty string");
            }
        }
        return new Instruction.Volume(c.at, c.original, List.copyOf(paths));
    }

    private Instruction copy(Context c, boolean add) {
        Map<String, FlagKind> accepted = new LinkedHashMap<>();
        if (!add) {
            accepted.put("from", FlagKind.STRING);
        }
        accepted.put("chown", FlagKind.STRING);
        accepted.put("chmod", FlagKind.STRING);
        accepted.put("link", FlagKind.BOOLEAN);
        if (add) {
            accepted.put("checksum", FlagKind.STRING);
        }
        Map<String, String> flags = c.flags(accepted);
        String rest = c.rest();
        List<String> words = json(c, rest);
        List<Heredoc> heredocs = List.of();
        if (words == null) {
            words = Words.fields(rest);
            heredocs = heredocs(c, rest);
        }
        if (words.size() < 2) {
            throw c.fail(c.name + " requires at least two arguments, but only " + words.size()
                    + " " + (words.size() == 1 ? "was" : "were") + " provided. Destination could not be determined.");
        }
        return new Instruction.Copy(c.at, c.original, add, List.copyOf(words.subList(0, words.size() - 1)),
                words.getLast(), flags.get("from"), flags.get("chown"), flags.get("chmod"),
                "true".equals(flags.get("link")), flags.get("checksum"), heredocs);
    }

    private Instruction shell(Context c) {
        String rest = c.rest();
        List<String> shell = json(c, rest);
        if (shell == null) {
            throw c.fail("SHELL requires the arguments to be in JSON form, e.g. SHELL [\"/bin/sh\", \"-c\"]");
        }
        if (shell.isEmpty()) {
            throw c.fail("SHELL requires at least one argument");
        }
        return new Instruction.Shell(c.at, c.original, shell);
    }

    private Instruction healthcheck(Context c) {
        Map<String, String> options = c.flags(Map.of("interval", FlagKind.STRING, "timeout", FlagKind.STRING,
                "start-period", FlagKind.STRING, "start-interval", FlagKind.STRING, "retries", FlagKind.STRING));
        String rest = c.rest();
        if (rest.isEmpty()) {
            throw c.fail("HEALTHCHECK requires at least one argument: HEALTHCHECK [options] CMD <command> | HEALTHCHECK NONE");
        }
        int typeEnd = 0;
        while (typeEnd < rest.length() && !Character.isWhitespace(rest.charAt(typeEnd))) {
            typeEnd++;
        }
        String type = rest.substring(0, typeEnd).toUpperCase(Locale.ROOT);
        String command = rest.substring(skipSpaces(rest, typeEnd));
        switch (type) {
            case "NONE" -> {
                if (!command.isEmpty() || !options.isEmpty()) {
                    throw c.failAtRest("HEALTHCHECK NONE takes no arguments");
                }
                return new Instruction.Healthcheck(c.at, c.original, List.of("NONE"), options);
            }
            case "CMD" -> {
                for (Map.Entry<String, String> option : options.entrySet()) {
                    checkHealthcheckOption(c, option.getKey(), option.getValue());
                }
                if (command.isEmpty()) {
                    throw c.failAtRest("missing command after HEALTHCHECK CMD");
                }
                List<String> exec = json(c, command);
                List<String> test = new ArrayList<>();
                if (exec != null) {
                    test.add("CMD");
                    test.addAll(exec);
                } else {
                    test.add("CMD-SHELL");
                    test.add(command);
                }
                return new Instruction.Healthcheck(c.at, c.original, List.copyOf(test), options);
            }
            default -> throw c.failAtRest("unknown type " + shown(type) + " in HEALTHCHECK (try CMD)");
        }
    }

    private void checkHealthcheckOption(Context c, String name, String value) {
        if (name.equals("retries")) {
            try {
                if (Integer.parseInt(value) < 0) {
                    throw c.fail("--retries cannot be negative (" + value + ")");
                }
            } catch (NumberFormatException e) {
                throw c.fail("--retries must be an integer, not " + shown(value));
            }
        } else if (!DURATION.matcher(value).matches()) {
            throw c.fail("--" + name + " must be a duration such as 30s, 1m30s or 500ms, not " + shown(value));
        }
    }

    private Instruction onBuild(Context c) {
        String rest = c.rest();
        if (rest.isEmpty()) {
            throw c.fail("ONBUILD requires at least one argument");
        }
        int wordEnd = 0;
        while (wordEnd < rest.length() && !Character.isWhitespace(rest.charAt(wordEnd))) {
            wordEnd++;
        }
        String trigger = rest.substring(0, wordEnd).toUpperCase(Locale.ROOT);
        switch (trigger) {
            case "ONBUILD" -> throw c.failAtRest("chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "FROM", "MAINTAINER" -> throw c.failAtRest(trigger + " isn't allowed as an ONBUILD trigger");
            default -> {
            }
        }
        // Parse the trigger now so that a broken trigger fails this build, not the later one that uses the image.
        parse(c.line.slice(c.restStart), (terminator, stripTabs) -> {
            throw c.failAtRest("heredocs are not supported in ONBUILD triggers");
        });
        return new Instruction.OnBuild(c.at, c.original, rest);
    }

    private static String exactlyOne(Context c, String rest) {
        if (rest.isEmpty()) {
            throw c.fail(c.name + " requires exactly one argument");
        }
        return rest;
    }

    private static String oneWord(Context c, String rest) {
        if (Words.fields(rest).size() != 1) {
            throw c.fail(c.name + " requires exactly one argument");
        }
        return rest;
    }

    private static List<String> atLeastOne(Context c, List<String> words) {
        if (words.isEmpty()) {
            throw c.fail(c.name + " requires at least one argument");
        }
        return List.copyOf(words);
    }

    private List<String> json(Context c, String rest) {
        try {
            return Words.jsonArray(rest);
        } catch (Words.NotStringArrayException e) {
            throw c.failAtRest(e.getMessage());
        }
    }

    /** Finds {@code <<NAME}, {@code <<-NAME}, {@code <<"NAME"} words and reads their bodies, in order. */
    private List<Heredoc> heredocs(Context c, String rest) {
        if (!rest.contains("<<")) {
            return List.of();
        }
        List<Heredoc> result = new ArrayList<>();
        for (String word : Words.keepingQuotes(rest, '\\')) {
            Matcher m = HEREDOC.matcher(word);
            if (!m.matches() || m.group(3).isEmpty()) {
                continue;
            }
            String raw = m.group(3);
            boolean quoted = raw.indexOf('"') >= 0 || raw.indexOf('\'') >= 0;
            String name = raw.replace("\"", "").replace("'", "");
            if (name.isEmpty()) {
                throw c.failAtRest("heredoc " + shown(word) + " has an empty delimiter");
            }
            boolean stripTabs = m.group(2).equals("-");
            String body = c.bodies.read(name, stripTabs);
            if (body == null) {
                throw error(c.line, c.restStart + Math.max(0, rest.indexOf(word)),
                        "unterminated heredoc " + shown(word) + ": no line " + shown(name) + " before the end of the file");
            }
            result.add(new Heredoc(name, body, !quoted, stripTabs));
        }
        return List.copyOf(result);
    }

    /**
     * Docker's leading-flag extraction: words starting with "--" (quotes removed, backslash escapes the next
     * character) until the first other word or a lone "--". Returns where the arguments start.
     */
    private static int extractFlags(String text, int from, int end, List<Flag> flags) {
        int pos = from;
        while (true) {
            pos = skipSpaces(text, pos);
            if (pos >= end || !text.startsWith("--", pos)) {
                return Math.min(pos, end);
            }
            int start = pos;
            StringBuilder word = new StringBuilder();
            char quote = 0;
            while (pos < end) {
                char ch = text.charAt(pos);
                if (quote == 0 && Character.isWhitespace(ch)) {
                    break;
                }
                pos++;
                if (quote == 0 && (ch == '\'' || ch == '"')) {
                    quote = ch;
                    continue;
                }
                if (quote != 0 && ch == quote) {
                    quote = 0;
                    continue;
                }
                if (ch == '\\' && pos < end) {
                    ch = text.charAt(pos++);
                }
                word.append(ch);
            }
            String w = word.toString();
            if (w.equals("--")) {
                return skipSpaces(text, pos);
            }
            int eq = w.indexOf('=');
            flags.add(new Flag(eq < 0 ? w.substring(2) : w.substring(2, eq), eq < 0 ? null : w.substring(eq + 1), start));
        }
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private InvalidArgumentException error(LogicalLine line, int offset, String message) {
        return new InvalidArgumentException(line.locate(file, offset) + ": " + message);
    }

    /** Quotes user text for an error message, shortened and with control characters made visible. */
    static String shown(String text) {
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(text.length(), MAX_SHOWN);
        for (int i = 0; i < limit; i++) {
            char ch = text.charAt(i);
            if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) || Character.isSurrogate(ch) || ch == 0xfffd) {
                out.append(String.format("\\x%02x", (int) ch & 0xff));
            } else if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else {
                out.append(ch);
            }
        }
        if (text.length() > limit) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
