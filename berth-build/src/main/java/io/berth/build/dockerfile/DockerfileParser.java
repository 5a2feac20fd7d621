package io.berth.build.dockerfile;

import io.berth.oci.errors.InvalidArgumentException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Dockerfile text into a {@link Dockerfile}, following the Dockerfile reference:
 * <ol>
 *   <li>parser directives at the very top ({@code # escape=`}; {@code # syntax=} and {@code # check=} are
 *       accepted and ignored); the first line that is not a directive ends them;</li>
 *   <li>comment and blank lines are skipped, also in the middle of a continuation;</li>
 *   <li>a line ending with the escape character (plus optional blanks) continues on the next line; the joined
 *       text keeps the next line's leading whitespace, as Docker does;</li>
 *   <li>RUN/COPY/ADD words like {@code <<EOF} take the following lines up to the terminator as heredoc bodies;</li>
 *   <li>each joined line becomes one {@link Instruction} ({@link InstructionParser}); ARGs before the first FROM
 *       are global, everything else belongs to the stage of the FROM above it.</li>
 * </ol>
 * Errors are {@link InvalidArgumentException}s whose message starts with {@code file:line:column:}.
 * Parsing is linear in the input and a physical line longer than {@link #MAX_LINE} is refused, so a large
 * garbage file fails quickly on its first line instead of being buffered as one giant instruction.
 */
public final class DockerfileParser {
    /** Longest physical line accepted (Docker's own scanner limit is of the same order). */
    public static final int MAX_LINE = 1 << 20;

    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Set<String> KNOWN_DIRECTIVES = Set.of("escape", "syntax", "check");

    private DockerfileParser() {
    }

    public static Dockerfile parse(String fileName, String text) {
        String file = fileName == null || fileName.isEmpty() ? "Dockerfile" : fileName;
        PhysicalLines lines = new PhysicalLines(file, text == null ? "" : text);
        char escape = '\\';
        boolean inDirectives = true;
        Set<String> directivesSeen = new HashSet<>();
        List<Instruction> instructions = new ArrayList<>();
        InstructionParser parser = null;
        while (lines.next()) {
            String raw = lines.current();
            String stripped = raw.stripLeading();
            if (inDirectives) {
                Matcher directive = DIRECTIVE.matcher(stripped);
                if (directive.matches() && KNOWN_DIRECTIVES.contains(directive.group(1).toLowerCase(Locale.ROOT))) {
                    String name = directive.group(1).toLowerCase(Locale.ROOT);
                    if (!directivesSeen.add(name)) {
                        throw lines.error(1, "only one " + name + " parser directive can be used");
                    }
                    if (name.equals("escape")) {
                        String value = directive.group(2);
                        if (!value.equals("`") && !value.equals("\\")) {
                            throw lines.error(1, "invalid escape token " + InstructionParser.shown(value)
                                    + " does not match ` or \\");
                        }
                        escape = value.charAt(0);
                    }
                    continue;
                }
                inDirectives = false;
            }
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            if (parser == null) {
                parser = new InstructionParser(file, escape);
            }
            LogicalLine line = new LogicalLine();
            int column = raw.length() - stripped.length() + 1;
            String piece = withoutContinuation(stripped, escape);
            boolean continues = piece != null;
            line.append(continues ? piece : stripped, lines.number(), column);
            while (continues && lines.next()) {
                String next = lines.current();
                String nextStripped = next.stripLeading();
                if (nextStripped.isEmpty() || nextStripped.startsWith("#")) {
                    continue;
                }
                piece = withoutContinuation(next, escape);
                continues = piece != null;
                line.append(continues ? piece : next, lines.number(), 1);
            }
            if (line.text().isBlank()) {
                continue;
            }
            instructions.add(parser.parse(line, lines::heredocBody));
        }
        return assemble(file, instructions, escape);
    }

    /** The line without its trailing escape character (and blanks after it), or null if it does not continue. */
    private static String withoutContinuation(String line, char escape) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        if (end > 0 && line.charAt(end - 1) == escape) {
            return line.substring(0, end - 1);
        }
        return null;
    }

    private static Dockerfile assemble(String file, List<Instruction> instructions, char escape) {
        if (instructions.isEmpty()) {
            throw new InvalidArgumentException(file + ":1:1: the Dockerfile cannot be empty");
        }
        List<Instruction.Arg> globalArgs = new ArrayList<>();
        List<Dockerfile.Stage> stages = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Instruction.From from = null;
        List<Instruction> body = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction instanceof Instruction.From f) {
                if (from != null) {
                    stages.add(new Dockerfile.Stage(stages.size(), from, List.copyOf(body)));
                    body.clear();
                }
                if (f.alias() != null && !names.add(f.alias())) {
                    throw new InvalidArgumentException(f.location() + ": duplicate stage name " + InstructionParser.shown(f.alias()));
                }
                from = f;
            } else if (from != null) {
                body.add(instruction);
            } else if (instruction instanceof Instruction.Arg a) {
                globalArgs.add(a);
            } else {
                String keyword = instruction.original().split("\\s", 2)[0].toUpperCase(Locale.ROOT);
                throw new InvalidArgumentException(instruction.location() + ": " + keyword
                        + " before the first FROM: only ARG may come before FROM (no build stage in current context)");
            }
        }
        if (from == null) {
            throw new InvalidArgumentException(instructions.getLast().location()
                    + ": the Dockerfile has no FROM instruction, so there is no stage to build");
        }
        stages.add(new Dockerfile.Stage(stages.size(), from, List.copyOf(body)));
        return new Dockerfile(List.copyOf(globalArgs), List.copyOf(stages), escape);
    }

    /** Iterates over physical lines ("\n" or "\r\n" ended), counting them from 1. */
    private static final class PhysicalLines {
        private final String file;
        private final String text;
        private int pos;
        private int number;
        private String current;

        PhysicalLines(String file, String text) {
            this.file = file;
            this.text = text;
            this.pos = text.startsWith("\uFEFF") ? 1 : 0;
        }

        boolean next() {
            if (pos >= text.length()) {
                return false;
            }
            int newline = text.indexOf('\n', pos);
            int end = newline < 0 ? text.length() : newline;
            number++;
            if (end - pos > MAX_LINE) {
                throw error(1, "line is longer than " + MAX_LINE + " characters; this does not look like a Dockerfile");
            }
            int contentEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
            current = text.substring(pos, contentEnd);
            pos = newline < 0 ? text.length() : newline + 1;
            return true;
        }

        String current() {
            return current;
        }

        int number() {
            return number;
        }

        /** Reads lines up to one equal to the terminator (after removing leading tabs for {@code <<-}). */
        String heredocBody(String terminator, boolean stripTabs) {
            StringBuilder body = new StringBuilder();
            while (next()) {
                String line = stripTabs ? stripLeadingTabs(current) : current;
                if (line.equals(terminator)) {
                    return body.toString();
                }
                body.append(line).append('\n');
            }
            return null;
        }

        private static String stripLeadingTabs(String line) {
            int i = 0;
            while (i < line.length() && line.charAt(i) == '\t') {
                i++;
            }
            return line.substring(i);
        }

        InvalidArgumentException error(int column, String message) {
            return new InvalidArgumentException(file + ":" + number + ":" + column + ": " + message);
        }
    }
}
