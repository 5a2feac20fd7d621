package io.berth.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The request line and header fields of an HTTP/1.x request, the server-side mirror of {@link ResponseHead}.
 * {@link #read} refuses what a server must not guess about: an unknown version, a target that is no URI, and
 * a body framed two ways or with a transfer coding other than chunked (the ambiguities request smuggling
 * lives on).
 */
public record RequestHead(String method, String target, String version, Map<String, List<String>> fields) {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Empty lines tolerated before a request line (RFC 9112 §2.2: some clients send a CRLF after a body). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;

    public RequestHead {
        fields = HeaderFields.copyOf(fields);
    }

    /**
     * Reads the head up to and including the empty line; the body, if any, follows in {@code in}.
     *
     * @throws EOFException when the stream ends before a request starts (a client closing a kept-alive connection)
     * @throws IOException when the head is malformed
     */
    public static RequestHead read(InputStream in) throws IOException {
        String line = HttpLines.readLine(in);
        for (int i = 0; line.isEmpty(); i++) {
            if (i == MAX_LEADING_EMPTY_LINES) {
                throw new IOException("empty lines instead of a request line");
            }
            line = HttpLines.readLine(in);
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches()
                || !(parts[2].equals("HTTP/1.1") || parts[2].equals("HTTP/1.0"))) {
            throw new IOException("malformed request line: " + line);
        }
        RequestHead head = new RequestHead(parts[0], parts[1], parts[2], HeaderFields.read(in));
        head.uri();
        head.contentLength();
        return head;
    }

    public Optional<String> first(String name) {
        return HeaderFields.first(fields, name);
    }

    public String rawPath() throws IOException {
        return uri().getRawPath();
    }

    /** The query without its {@code ?}, still percent-encoded; null when the target has none. */
    public String rawQuery() throws IOException {
        return uri().getRawQuery();
    }

    private URI uri() throws IOException {
        try {
            URI uri = new URI(target);
            if (uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
                throw new URISyntaxException(target, "no path");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IOException("malformed request target: " + target, e);
        }
    }

    public boolean chunked() {
        return fields.containsKey("Transfer-Encoding");
    }

    /**
     * The length of a body framed by Content-Length: 0 when the request has none or is chunked ({@link #chunked}).
     *
     * @throws IOException when the framing is ambiguous or unsupported
     */
    public long contentLength() throws IOException {
        List<String> lengths = fields.getOrDefault("Content-Length", List.of()).stream()
                .flatMap(v -> Arrays.stream(v.split(",", -1))).map(String::trim).distinct().toList();
        if (chunked()) {
            List<String> codings = fields.get("Transfer-Encoding");
            if (!lengths.isEmpty() || codings.size() != 1 || !codings.getFirst().equalsIgnoreCase("chunked")) {
                throw new IOException("unsupported body framing: Transfer-Encoding " + codings
                        + (lengths.isEmpty() ? "" : " with Content-Length"));
            }
            return 0;
        }
        if (lengths.size() > 1) {
            throw new IOException("conflicting Content-Length values: " + lengths);
        }
        return lengths.isEmpty() ? 0 : HeaderFields.length(lengths.getFirst());
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
}
