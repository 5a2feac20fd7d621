package io.berth.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.berth.oci.GoDuration;
import io.berth.oci.errors.InvalidArgumentException;

/** Compose's value syntaxes: Go durations, byte sizes, and shell words of a string command. */
final class Units {
    private static final Pattern BYTES = Pattern.compile("(?i)([0-9]*\\.?[0-9]+)\\s*([kmgt]?)b?");

    private Units() {}

    /** A Go duration ("1m30s", "500ms", "10s") in nanoseconds: berth's one Go-duration parser, with compose's message. */
    static long durationNanos(String s, String field) {
        try {
            return GoDuration.nanos(s.strip());
        } catch (InvalidArgumentException e) {
            throw new ComposeException(field + ": invalid duration '" + s + "'");
        }
    }

    /** A byte size ("512m", "1g", "1024", "1.5GB") in bytes; a JSON number is bytes. */
    static long bytes(String s, String field) {
        Matcher m = BYTES.matcher(s.strip());
        if (!m.matches()) throw new ComposeException(field + ": invalid size '" + s + "'");
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2).toLowerCase()) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            default -> 1L;
        };
        return (long) (n * unit);
    }

    /** Splits a command string into words as a POSIX shell would (quotes, backslashes), no expansion. */
    static List<String> shellWords(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0; else w.append(c);
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '\\' && i + 1 < s.length() && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) w.append(s.charAt(++i));
                else w.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                w.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new ComposeException("invalid command line string: unterminated quote in " + s);
        if (inWord) words.add(w.toString());
        return words;
    }
}
