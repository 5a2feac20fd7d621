package io.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads consecutive JSON values (RFC 8259, strict: no comments, trailing commas, unquoted names, control
 * characters in strings or malformed UTF-8) into the trees {@code ObjectMapper.readTree} builds: int, long or
 * big integer nodes for integers by magnitude, double nodes for fractions and exponents, the last of duplicate
 * keys in the place of the first.
 *
 * <p>Why not jackson-core's parser: every Jackson parser extends {@code ParserMinimalBase}, whose static
 * {@code BigDecimal} constants initialise {@code BigDecimal}, and JDK 25's {@code BigDecimal} computes 5^65536
 * in its static initialiser: ~19 ms of interpreted CPU in every CLI call that reads one answer, a fifth of an
 * {@code exec}. This reader touches no {@code BigDecimal}. Jackson's limits for untrusted input are kept:
 * nesting depth 1,000, numbers of at most 1,000 characters, strings of at most 20,000,000.
 */
final class JsonReader implements Closeable {

    static final int MAX_DEPTH = 1000;
    static final int MAX_NUMBER_LENGTH = 1000;
    static final int MAX_STRING_LENGTH = 20_000_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Reader in;
    private final char[] buffer = new char[8192];
    private int pos;
    private int limit;
    private final StringBuilder text = new StringBuilder();

    private JsonReader(Reader in) {
        this.in = in;
    }

    /** Decodes the stream as UTF-8, failing on malformed bytes as Jackson does. */
    static JsonReader of(InputStream in) {
        return new JsonReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
    }

    /** Whether another value follows (skipping whitespace); blocks on a live stream until a byte or the end. */
    boolean hasNext() throws IOException {
        return skipWhitespace() >= 0;
    }

    /** The next value; an {@link IOException} when the text is not JSON or ends inside the value. */
    JsonNode next() throws IOException {
        if (skipWhitespace() < 0) {
            throw error("no JSON value before the end of the input");
        }
        return value();
    }

    /**
     * One value, containers included, without recursion: an interpreted frame per nesting level would overflow the
     * stack of a cold JVM before the depth limit, and a {@link StackOverflowError} is no answer to bad input.
     */
    private JsonNode value() throws IOException {
        List<ContainerNode<?>> open = new ArrayList<>(); // the containers entered, innermost last
        List<String> names = new ArrayList<>(); // for each open object, the field its next value goes to
        while (true) {
            JsonNode value;
            int c = skipWhitespace();
            if (c == '{' || c == '[') {
                pos++;
                if (open.size() == MAX_DEPTH) {
                    throw error("nesting deeper than " + MAX_DEPTH);
                }
                ContainerNode<?> container = c == '{' ? NODES.objectNode() : NODES.arrayNode();
                if (skipWhitespace() == (c == '{' ? '}' : ']')) {
                    pos++;
                    value = container;
                } else {
                    open.add(container);
                    if (container.isObject()) {
                        names.add(fieldName());
                    }
                    continue;
                }
            } else {
                value = scalar(c);
            }
            // the value is complete: put it in its container, and close every container that ends after it
            while (true) {
                if (open.isEmpty()) {
                    if (value.isNumber()) {
                        rootNumberEnd();
                    }
                    return value;
                }
                ContainerNode<?> container = open.getLast();
                if (container instanceof ObjectNode object) {
                    object.set(names.removeLast(), value);
                } else {
                    ((ArrayNode) container).add(value);
                }
                int next = skipWhitespace();
                pos++;
                if (next == ',') {
                    if (container.isObject()) {
                        names.add(fieldName());
                    }
                    break;
                }
                if (next != (container.isObject() ? '}' : ']')) {
                    throw error("expected ',' or '" + (container.isObject() ? '}' : ']') + "', found " + describe(next));
                }
                value = open.removeLast();
            }
        }
    }

    /** A quoted field name and its colon. */
    private String fieldName() throws IOException {
        if (skipWhitespace() != '"') {
            throw error("expected a quoted field name, found " + describe(peek()));
        }
        pos++;
        String name = string();
        if (skipWhitespace() != ':') {
            throw error("expected ':' after a field name, found " + describe(peek()));
        }
        pos++;
        return name;
    }

    private JsonNode scalar(int c) throws IOException {
        switch (c) {
            case '"' -> {
                pos++;
                return NODES.textNode(string());
            }
            case 't' -> {
                literal("true");
                return NODES.booleanNode(true);
            }
            case 'f' -> {
                literal("false");
                return NODES.booleanNode(false);
            }
            case 'n' -> {
                literal("null");
                return NODES.nullNode();
            }
            case -1 -> throw error("unexpected end of the input");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character " + describe(c));
            }
        }
    }

    /** The string after its opening quote, up to and past the closing one. */
    private String string() throws IOException {
        text.setLength(0);
        while (true) {
            int c = read();
            if (c == '"') {
                return text.toString();
            }
            if (c == '\\') {
                c = escape();
            } else if (c < 0x20) {
                throw error(c < 0 ? "unexpected end of the input in a string" : "unescaped control character "
                        + describe(c) + " in a string");
            }
            if (text.length() == MAX_STRING_LENGTH) {
                throw error("a string longer than " + MAX_STRING_LENGTH + " characters");
            }
            text.append((char) c);
        }
    }

    private int escape() throws IOException {
        int c = read();
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = Character.digit(read(), 16);
                    if (digit < 0) {
                        throw error("a \\u escape needs four hexadecimal digits");
                    }
                    code = code * 16 + digit;
                }
                yield code;
            }
            default -> throw error("unknown escape \\" + (c < 0 ? "" : (char) c) + " in a string");
        };
    }

    private JsonNode number() throws IOException {
        text.setLength(0);
        boolean integer = true;
        if (peek() == '-') {
            take();
        }
        int first = peek();
        if (first == '0') {
            take();
        } else if (first >= '1' && first <= '9') {
            digits();
        } else {
            throw error("expected a digit, found " + describe(first));
        }
        if (peek() == '.') {
            integer = false;
            take();
            if (digits() == 0) {
                throw error("expected a digit after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            take();
            if (peek() == '+' || peek() == '-') {
                take();
            }
            if (digits() == 0) {
                throw error("expected a digit in the exponent");
            }
        }
        String number = text.toString();
        if (!integer) {
            return NODES.numberNode(Double.parseDouble(number));
        }
        if (number.length() <= 9) { // at most 9 digits (or a sign and 8): always an int
            return NODES.numberNode(Integer.parseInt(number));
        }
        if (number.length() <= 20) {
            try {
                long value = Long.parseLong(number);
                return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
            } catch (NumberFormatException e) {
                // beyond a long: a big integer
            }
        }
        return NODES.numberNode(new BigInteger(number));
    }

    /**
     * A number at the top level ends at whitespace or the end, as Jackson requires: no delimiter follows it, so
     * "01", "1-2" or "0x10" would otherwise read as a value and a rest.
     */
    private void rootNumberEnd() throws IOException {
        int c = peek();
        if (c >= 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            throw error("unexpected character " + describe(c) + " after a number at the top level");
        }
    }

    private int digits() throws IOException {
        int n = 0;
        while (peek() >= '0' && peek() <= '9') {
            take();
            n++;
        }
        return n;
    }

    /** Moves the next character of a number into {@link #text}. */
    private void take() throws IOException {
        if (text.length() == MAX_NUMBER_LENGTH) {
            throw error("a number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        text.append((char) read());
    }

    private void literal(String word) throws IOException {
        for (int i = 0; i < word.length(); i++) {
            if (read() != word.charAt(i)) {
                throw error("unrecognized token (expected '" + word + "')");
            }
        }
        int c = peek();
        if (Character.isLetterOrDigit(c) || c == '_') {
            throw error("unrecognized token (expected '" + word + "')");
        }
    }

    /** The next character that is not JSON whitespace, not consumed; -1 at the end. */
    private int skipWhitespace() throws IOException {
        while (true) {
            int c = peek();
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c;
            }
            pos++;
        }
    }

    private int peek() throws IOException {
        if (pos == limit) {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return -1;
            }
            pos = 0;
            limit = n;
        }
        return buffer[pos];
    }

    private int read() throws IOException {
        int c = peek();
        if (c >= 0) {
            pos++;
        }
        return c;
    }

    private static String describe(int c) {
        return c < 0 ? "the end of the input" : c < 0x20 ? String.format("(code %d)", c) : "'" + (char) c + "'";
    }

    private static IOException error(String message) {
        return new IOException("malformed JSON: " + message);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
