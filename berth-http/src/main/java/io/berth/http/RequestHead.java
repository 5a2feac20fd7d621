package io.berth.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The request line and header fields of an HTTP/1.x request, the server-side mirror of {@link ResponseHead}, and
 * the one reader of request heads for every berth server (berthd and the registry).
 * <p>
 * {@link #read} refuses, with an {@link HttpFramingException} carrying the status Go's {@code net/http} server
 * answers, whatever a server must not guess about, since request smuggling lives on the differences between two
 * readers of one byte stream:
 * <ul>
 * <li>a head over {@link #MAX_HEAD} bytes or {@link HeaderFields#MAX_FIELDS} fields: 431;
 * <li>a malformed request line, a target that is no URI, a version that is no {@code HTTP/d.d}: 400; another
 *     version than 1.0 or 1.1: 505;
 * <li>a field name that is no token (whitespace before the colon included), a folded (obs-fold) line, a control
 *     character in a value, two Host fields: 400;
 * <li>a Content-Length that is not only digits, several that differ, Content-Length with Transfer-Encoding,
 *     Transfer-Encoding in HTTP/1.0: 400; a Transfer-Encoding other than exactly one {@code chunked}: 501.
 * </ul>
 */
public record RequestHead(String method, String target, String version, Map<String, List<String>> fields) {
    /** The whole head, request line and fields: Go's servers' bound ({@code http.DefaultMaxHeaderBytes}). */
    public static final int MAX_HEAD = 1 << 20;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    /** Empty lines tolerated before a request line (RFC 9112 §2.2: some clients send a CRLF after a body). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;

    public RequestHead {
        fields = HeaderFields.copyOf(fields);
    }

    /**
     * Reads the head up to and including the empty line; the body, if any, follows in {@code in}.
     *
     * @throws EOFException when the stream ends before a request starts (a client closing a kept-alive connection)
     * @throws HttpFramingException when the head is malformed, too large or framed ambiguously
     * @throws IOException when reading fails
     */
    public static RequestHead read(InputStream in) throws IOException {
        Lines lines = new Lines(in);
        String line = lines.next();
        for (int i = 0; line.isEmpty(); i++) {
            if (i == MAX_LEADING_EMPTY_LINES) {
                throw bad("empty lines instead of a request line");
            }
            line = lines.next();
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || !VERSION.matcher(parts[2]).matches()
                || parts[1].isEmpty() || !visibleAscii(parts[1])) {
            throw bad("malformed request line: " + printable(line));
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new HttpFramingException(505, "unsupported HTTP version: " + parts[2]);
        }
        RequestHead head = new RequestHead(parts[0], parts[1], parts[2], readFields(lines));
        head.split();
        head.checkFraming();
        if (head.fields.getOrDefault("Host", List.of()).size() > 1) {
            throw bad("more than one Host field");
        }
        return head;
    }

    private static TreeMap<String, List<String>> readFields(Lines lines) throws IOException {
        TreeMap<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int count = 0;
        for (String line = lines.next(); !line.isEmpty(); line = lines.next()) {
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw bad("folded header line (obs-fold)");
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon);
            if (!TOKEN.matcher(name).matches()) {
                throw bad("malformed header line: " + printable(line));
            }
            String value = trimWhitespace(line.substring(colon + 1));
            if (!fieldValue(value)) {
                throw bad("control character in the value of header " + name);
            }
            if (++count > HeaderFields.MAX_FIELDS) {
                throw new HttpFramingException(431, "more than " + HeaderFields.MAX_FIELDS + " header fields");
            }
            fields.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return fields;
    }

    /** Refuses a body framed two ways, or in a way this server does not speak (see the class comment). */
    private void checkFraming() throws HttpFramingException {
        List<String> codings = fields.get("Transfer-Encoding");
        List<String> lengths = fields.get("Content-Length");
        if (codings != null) {
            if (!version.equals("HTTP/1.1")) {
                throw bad("Transfer-Encoding in an " + version + " request");
            }
            if (codings.size() != 1 || !codings.getFirst().equalsIgnoreCase("chunked")) {
                throw new HttpFramingException(501, "unsupported Transfer-Encoding: " + printable(String.join(", ", codings)));
            }
            if (lengths != null) {
                throw bad("both Transfer-Encoding and Content-Length");
            }
        }
        if (lengths != null) {
            if (lengths.stream().distinct().count() > 1) {
                throw bad("conflicting Content-Length values: " + printable(String.join(", ", lengths)));
            }
            if (!DIGITS.matcher(lengths.getFirst()).matches()) {
                throw bad("malformed Content-Length: " + printable(lengths.getFirst()));
            }
        }
    }

    public Optional<String> first(String name) {
        return HeaderFields.first(fields, name);
    }

    /** The target's path, still percent-encoded. */
    public String rawPath() throws IOException {
        return split()[0];
    }

    /** The query without its {@code ?}, still percent-encoded; null when the target has none. */
    public String rawQuery() throws IOException {
        return split()[1];
    }

    /**
     * The target's path and query. Origin form ({@code /path?query}) is what clients send; the absolute form
     * ({@code http://host/path}) must be accepted too (RFC 9112 §3.2.2). Beyond the visible ASCII {@link #read}
     * requires, characters are not checked, as Go's servers do not: curl users send {@code filters={"a":["b"]}}
     * unescaped.
     */
    private String[] split() throws IOException {
        String originForm = target;
        if (!target.startsWith("/")) {
            try {
                URI uri = new URI(target);
                if (!uri.isAbsolute() || uri.getRawAuthority() == null) {
                    throw new URISyntaxException(target, "neither origin nor absolute form");
                }
                String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                originForm = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
            } catch (URISyntaxException e) {
                throw bad("malformed request target: " + printable(target));
            }
        }
        int q = originForm.indexOf('?');
        return q < 0 ? new String[] {originForm, null} : new String[] {originForm.substring(0, q), originForm.substring(q + 1)};
    }

    public boolean chunked() {
        return fields.containsKey("Transfer-Encoding");
    }

    /**
     * The length of a body framed by Content-Length: 0 when the request has none or is chunked ({@link #chunked}).
     *
     * @throws IOException when the framing is ambiguous or unsupported (only for a head not made by {@link #read})
     */
    public long contentLength() throws IOException {
        checkFraming();
        return chunked() ? 0 : first("Content-Length").map(Long::parseLong).orElse(0L);
    }

    /** Whether the client lets the connection carry another request: HTTP/1.1 unless it says close. */
    public boolean keepAlive() {
        return version.equals("HTTP/1.1") && fields.getOrDefault("Connection", List.of()).stream()
                .flatMap(v -> Arrays.stream(v.split(","))).noneMatch(t -> t.trim().equalsIgnoreCase("close"));
    }

    /** Whether the client waits for {@code 100 Continue} before it sends the body. */
    public boolean expectsContinue() {
        return version.equals("HTTP/1.1")
                && first("Expect").map(v -> v.toLowerCase(Locale.ROOT).equals("100-continue")).orElse(false);
    }

    private static HttpFramingException bad(String message) {
        return new HttpFramingException(400, message);
    }

    private static boolean visibleAscii(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    /** RFC 9110 field-value: visible characters, SP, HTAB and obs-text; no CR, LF, NUL or other control. */
    private static boolean fieldValue(String s) {
        return s.chars().allMatch(c -> (c >= 0x20 && c != 0x7f) || c == '\t');
    }

    private static String trimWhitespace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Hostile bytes go into error messages and logs escaped, and cut short. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\x%02x", (int) c));
            }
        }
        return s.length() > 200 ? out + "..." : out.toString();
    }

    /** The head's lines, drawn from one budget of {@link #MAX_HEAD} bytes. */
    private static final class Lines {
        private final InputStream in;
        private int remaining = MAX_HEAD;

        Lines(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            try {
                String line = HttpLines.readLine(in, remaining, false);
                remaining -= line.length() + 1;
                return line;
            } catch (HttpLines.LineTooLongException e) {
                throw new HttpFramingException(431, "request head larger than " + MAX_HEAD + " bytes");
            }
        }
    }
}
