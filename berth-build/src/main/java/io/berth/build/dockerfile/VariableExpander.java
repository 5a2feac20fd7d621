package io.berth.build.dockerfile;

import io.berth.oci.errors.InvalidArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Docker's shell-word processing for instruction arguments: quotes are removed, the escape character escapes
 * the next character, and {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}},
 * {@code ${VAR:+alt}}, {@code ${VAR+alt}}, {@code ${VAR:?message}} and {@code ${VAR?message}} are substituted.
 * Inside single quotes nothing is special; inside double quotes only {@code $} and the escapes {@code \"},
 * {@code \$} and {@code \\} are. An unset variable expands to the empty string.
 *
 * <p>The parser keeps ENV/LABEL/ARG values, WORKDIR, USER, COPY paths and flags <em>as written</em> (quotes
 * included); the builder passes each of them through {@link #expand} at the time the instruction runs, which
 * both substitutes and removes the quotes, as Docker does. So {@code ENV A='$B'} yields the literal {@code $B},
 * and no separate "keep quotes" variant is needed. Instructions whose argument is a list of words (EXPOSE, and a
 * shell-form VOLUME when a variable may hold several words) use {@link #expandWords}.
 */
public final class VariableExpander {
    private VariableExpander() {
    }

    /**
     * Expands one word (Docker's ProcessWord): whitespace, including whitespace produced by expansion, is kept.
     *
     * @param lookup returns a variable's value, or null when it is not set
     * @throws InvalidArgumentException for unterminated quotes or braces, bad modifiers, or {@code ${X:?msg}}
     *                                  with X unset
     */
    public static String expand(String word, Function<String, String> lookup, char escape) {
        Sink sink = new Sink(false);
        new Lexer(word, lookup, escape).process(sink);
        return sink.words().isEmpty() ? "" : sink.words().getFirst();
    }

    /**
     * Expands and splits into words (Docker's ProcessWords): unquoted whitespace, also whitespace coming out of an
     * unquoted expansion, separates words; quoted text never splits and {@code ""} is an (empty) word of its own.
     */
    public static List<String> expandWords(String text, Function<String, String> lookup, char escape) {
        Sink sink = new Sink(true);
        new Lexer(text, lookup, escape).process(sink);
        return sink.words();
    }

    /** Collects characters into one word, or into several when splitting on unquoted whitespace. */
    private static final class Sink {
        private final boolean split;
        private final List<String> words = new ArrayList<>();
        private final StringBuilder current = new StringBuilder();
        private boolean inWord;

        Sink(boolean split) {
            this.split = split;
        }

        void quoted(char c) {
            current.append(c);
            inWord = true;
        }

        void quoted(String s) {
            current.append(s);
            inWord = true;
        }

        /** Marks that a word exists even if it stays empty (for {@code ""}). */
        void touch() {
            inWord = true;
        }

        void unquoted(char c) {
            if (split && Character.isWhitespace(c)) {
                endWord();
                return;
            }
            current.append(c);
            inWord = true;
        }

        void unquoted(String s) {
            for (int i = 0; i < s.length(); i++) {
                unquoted(s.charAt(i));
            }
        }

        private void endWord() {
            if (inWord) {
                words.add(current.toString());
                current.setLength(0);
                inWord = false;
            }
        }

        List<String> words() {
            if (!split) {
                return List.of(current.toString());
            }
            endWord();
            return words;
        }
    }

    private static final class Lexer {
        private static final int NO_STOP = -1;
        private final String src;
        private final Function<String, String> lookup;
        private final char escape;
        private int pos;

        Lexer(String src, Function<String, String> lookup, char escape) {
            this.src = src;
            this.lookup = lookup;
            this.escape = escape;
        }

        void process(Sink sink) {
            processUntil(sink, NO_STOP);
        }

        /** Processes until {@code stop} (not consumed) or the end of the input. */
        private void processUntil(Sink sink, int stop) {
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (c == stop) {
                    return;
                }
                if (c == '\'') {
                    singleQuoted(sink);
                } else if (c == '"') {
                    doubleQuoted(sink);
                } else if (c == '$') {
                    sink.unquoted(dollar());
                } else if (c == escape) {
                    pos++;
                    if (pos < src.length()) {
                        // An escaped character is literal and never splits a word (a\ b is one word).
                        sink.quoted(src.charAt(pos++));
                    }
                } else {
                    sink.unquoted(c);
                    pos++;
                }
            }
        }

        private void singleQuoted(Sink sink) {
            int close = src.indexOf('\'', pos + 1);
            if (close < 0) {
                throw new InvalidArgumentException("unexpected end of statement while looking for matching single-quote");
            }
            sink.touch();
            sink.quoted(src.substring(pos + 1, close));
            pos = close + 1;
        }

        private void doubleQuoted(Sink sink) {
            pos++;
            sink.touch();
            while (true) {
                if (pos >= src.length()) {
                    throw new InvalidArgumentException("unexpected end of statement while looking for matching double-quote");
                }
                char c = src.charAt(pos);
                if (c == '"') {
                    pos++;
                    return;
                }
                if (c == '$') {
                    sink.quoted(dollar());
                    continue;
                }
                pos++;
                if (c == escape && pos < src.length()) {
                    char next = src.charAt(pos);
                    // Inside double quotes only these are escapes; any other escape character stays as written.
                    if (next == '"' || next == '$' || next == escape) {
                        c = next;
                        pos++;
                    }
                }
                sink.quoted(c);
            }
        }

        /** At a '$': returns the substitution (or a literal "$" when no name follows). */
        private String dollar() {
            pos++;
            if (pos >= src.length()) {
                return "$";
            }
            char c = src.charAt(pos);
            if (c != '{') {
                String name = name();
                if (name.isEmpty()) {
                    return "$";
                }
                return valueOf(name, "");
            }
            pos++;
            String name = name();
            if (pos >= src.length()) {
                throw new InvalidArgumentException("missing '}' in substitution: " + src);
            }
            if (name.isEmpty()) {
                throw new InvalidArgumentException("bad substitution: " + src);
            }
            char next = src.charAt(pos++);
            if (next == '}') {
                return valueOf(name, "");
            }
            boolean colon = next == ':';
            if (colon) {
                if (pos >= src.length()) {
                    throw new InvalidArgumentException("missing '}' in substitution: " + src);
                }
                next = src.charAt(pos++);
            }
            if (next != '-' && next != '+' && next != '?') {
                throw new InvalidArgumentException("unsupported modifier (" + (colon ? ":" : "") + next
                        + ") in substitution: " + src);
            }
            Sink argument = new Sink(false);
            processUntil(argument, '}');
            if (pos >= src.length()) {
                throw new InvalidArgumentException("missing '}' in substitution: " + src);
            }
            pos++;
            String word = argument.words().getFirst();
            String value = lookup.apply(name);
            // With ':' an empty value counts as unset, as in POSIX shells.
            boolean set = value != null && (!colon || !value.isEmpty());
            return switch (next) {
                case '-' -> set ? value : word;
                case '+' -> set ? word : "";
                default -> {
                    if (!set) {
                        throw new InvalidArgumentException(name + ": "
                                + (word.isEmpty() ? "is not allowed to be " + (colon ? "unset or empty" : "unset") : word));
                    }
                    yield value;
                }
            };
        }

        private String valueOf(String name, String fallback) {
            String value = lookup.apply(name);
            return value == null ? fallback : value;
        }

        /** A run of digits, or a letter/underscore followed by letters, digits and underscores. */
        private String name() {
            int start = pos;
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
                return src.substring(start, pos);
            }
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (!Character.isLetterOrDigit(c) && c != '_') {
                    break;
                }
                pos++;
            }
            return src.substring(start, pos);
        }
    }
}
