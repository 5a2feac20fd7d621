package io.berth.build.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/** The ways Docker's parser splits an instruction's arguments before any variable substitution. */
final class Words {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A JSON array with a non-string element: Docker rejects it instead of falling back to shell form. */
    static final class NotStringArrayException extends Exception {
        NotStringArrayException() {
            super("when using JSON array syntax, arrays must be comprised of strings only", null, false, false);
        }
    }

    private Words() {
    }

    /**
     * The exec (JSON) form, or null when {@code text} is not a valid JSON array, in which case Docker treats the
     * text as shell form (e.g. {@code CMD ['a']} with single quotes is the shell command "['a']").
     */
    static List<String> jsonArray(String text) throws NotStringArrayException {
        if (!text.startsWith("[")) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (node == null || !node.isArray()) {
            return null;
        }
        List<String> result = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new NotStringArrayException();
            }
            result.add(element.textValue());
        }
        return List.copyOf(result);
    }

    /** Splits on whitespace runs, nothing else special (EXPOSE, shell-form COPY/ADD/VOLUME, FROM). */
    static List<String> fields(String text) {
        List<String> result = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                result.add(text.substring(start, i));
            }
        }
        return result;
    }

    /**
     * Splits on unquoted whitespace but keeps quotes and escapes in the words (ENV, LABEL, ARG): the builder's
     * {@link VariableExpander#expand} removes them later, when it also knows the variables.
     */
    static List<String> keepingQuotes(String text, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean blankOk = false;
        char quote = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (quote == 0) {
                if (Character.isWhitespace(c)) {
                    if (inWord && (blankOk || !word.isEmpty())) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    inWord = false;
                    blankOk = false;
                    i++;
                    continue;
                }
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                    blankOk = true;
                } else if (c == escape) {
                    if (i + 1 == n) {
                        break;
                    }
                    // An escape outside quotes keeps itself and the next character, even a quote.
                    word.append(c);
                    c = text.charAt(++i);
                }
                word.append(c);
                i++;
                continue;
            }
            if (c == quote) {
                quote = 0;
            } else if (c == escape && quote != '\'') {
                if (i + 1 == n) {
                    break;
                }
                word.append(c);
                c = text.charAt(++i);
            }
            word.append(c);
            i++;
        }
        if (inWord && (blankOk || !word.isEmpty())) {
            words.add(word.toString());
        }
        return words;
    }
}
