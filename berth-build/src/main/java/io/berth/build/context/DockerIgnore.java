package io.berth.build.context;

import io.berth.oci.errors.InvalidArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a {@code .dockerignore} file, with Docker's semantics:
 * <ul>
 *   <li>one pattern per line; blank lines and lines starting with {@code #} are ignored; a leading {@code !}
 *       makes an exception (re-includes what matches);</li>
 *   <li>patterns are cleaned like paths ({@code ./a//b/} is {@code a/b}, a leading {@code /} is dropped) and
 *       matched against the whole slash-separated path relative to the context root, Go
 *       {@code filepath.Match}-style: {@code *} and {@code ?} never cross a {@code /}, {@code [a-z]} and
 *       {@code [^a]} are classes, {@code \} escapes; {@code **} matches any number of directories, zero
 *       included;</li>
 *   <li>a pattern that matches a directory matches everything below it;</li>
 *   <li>the last matching pattern decides.</li>
 * </ul>
 */
public final class DockerIgnore {
    /** No rules: nothing is excluded. */
    public static final DockerIgnore NONE = new DockerIgnore(List.of());

    private record Rule(String pattern, boolean exception, Pattern regex, List<Pattern> segments) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String rawLine : text.split("\n")) {
            String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            if (exception) {
                line = line.substring(1).strip();
                if (line.isEmpty()) {
                    throw new InvalidArgumentException(".dockerignore: illegal exclusion pattern: \"!\"");
                }
            }
            String pattern = clean(line);
            List<Pattern> segments = new ArrayList<>();
            for (String segment : pattern.split("/")) {
                segments.add(Pattern.compile(toRegex(segment)));
            }
            rules.add(new Rule(pattern, exception, Pattern.compile(toRegex(pattern)), List.copyOf(segments)));
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /** The patterns in order, cleaned, with "!" in front of exceptions. */
    public List<String> patterns() {
        return rules.stream().map(r -> (r.exception() ? "!" : "") + r.pattern()).toList();
    }

    public boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    /** True when the file or directory at {@code relativePath} (relative to the context root) is excluded. */
    public boolean excluded(String relativePath) {
        String path = clean(relativePath);
        if (path.equals(".")) {
            return false;
        }
        String[] parts = path.split("/");
        boolean excluded = false;
        for (Rule rule : rules) {
            // Only a rule that could change the current answer needs to be evaluated.
            if (rule.exception() != excluded) {
                continue;
            }
            boolean match = rule.regex().matcher(path).matches();
            StringBuilder parent = new StringBuilder();
            for (int i = 0; !match && i < parts.length - 1; i++) {
                if (i > 0) {
                    parent.append('/');
                }
                parent.append(parts[i]);
                match = rule.regex().matcher(parent).matches();
            }
            if (match) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    /**
     * False only when nothing below {@code dir} can be included, so a walk may skip the whole directory: it is
     * excluded and no exception pattern can match a path under it. Conservative: true when unsure.
     */
    public boolean mayIncludeBelow(String dir) {
        if (!excluded(dir)) {
            return true;
        }
        String path = clean(dir);
        String[] parts = path.equals(".") ? new String[0] : path.split("/");
        for (Rule rule : rules) {
            if (rule.exception() && couldMatchBelow(rule, parts)) {
                return true;
            }
        }
        return false;
    }

    private static boolean couldMatchBelow(Rule rule, String[] dirParts) {
        List<Pattern> segments = rule.segments();
        String[] raw = rule.pattern().split("/");
        for (int i = 0; i < dirParts.length; i++) {
            if (i >= segments.size()) {
                return true;
            }
            if (raw[i].contains("**")) {
                return true;
            }
            if (!segments.get(i).matcher(dirParts[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Go's filepath.Clean on a slash path, then without a leading "/" (patterns and paths are root-relative). */
    static String clean(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                } else if (!path.startsWith("/")) {
                    out.add("..");
                }
                continue;
            }
            out.add(part);
        }
        return out.isEmpty() ? "." : String.join("/", out);
    }

    /** Translates one cleaned pattern to an anchored regex. */
    static String toRegex(String pattern) {
        StringBuilder re = new StringBuilder("^");
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                        i++;
                        // "**/" is the same as "**": swallow the slash so "**/a" also matches "a".
                        if (i + 1 < n && pattern.charAt(i + 1) == '/') {
                            i++;
                        }
                        re.append(i + 1 >= n ? ".*" : "(.*/)?");
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (i + 1 < n) {
                        re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                    } else {
                        throw new InvalidArgumentException(".dockerignore: bad pattern (trailing escape): " + pattern);
                    }
                }
                case '[' -> i = charClass(pattern, i, re);
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.append('$').toString();
    }

    /** Appends a Java regex class for the Go class starting at {@code start}; returns the index of its ']'. */
    private static int charClass(String pattern, int start, StringBuilder re) {
        int i = start + 1;
        StringBuilder cls = new StringBuilder("[");
        if (i < pattern.length() && pattern.charAt(i) == '^') {
            cls.append('^');
            i++;
        }
        boolean empty = true;
        for (; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == ']' && !empty) {
                // A class never matches the separator, as in filepath.Match.
                re.append(cls).append("&&[^/]]");
                return i;
            }
            if (c == '\\' && i + 1 < pattern.length()) {
                c = pattern.charAt(++i);
            } else if (c == '-' && !empty && i + 1 < pattern.length() && pattern.charAt(i + 1) != ']') {
                cls.append('-');
                continue;
            }
            cls.append(String.format("\\x{%x}", (int) c));
            empty = false;
        }
        throw new InvalidArgumentException(".dockerignore: bad pattern (unterminated character class): " + pattern);
    }
}
