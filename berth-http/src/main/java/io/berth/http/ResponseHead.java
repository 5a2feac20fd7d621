package io.berth.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The status line and header fields of an HTTP/1.1 response. Field names compare case-insensitively; a field
 * sent several times keeps every value in order (a registry may send several {@code WWW-Authenticate}
 * challenges, which must not be joined with commas since challenges contain commas themselves).
 */
public record ResponseHead(int status, String reason, Map<String, List<String>> fields) {
    /** More fields than any real server sends; the bound keeps a hostile peer from growing the map forever. */
    private static final int MAX_FIELDS = 256;

    public ResponseHead {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        fields = Collections.unmodifiableMap(copy);
    }

    /** Reads the head up to and including the empty line; the body, if any, follows in {@code in}. */
    public static ResponseHead read(InputStream in) throws IOException {
        String statusLine = HttpLines.readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line: " + statusLine, e);
        }
        TreeMap<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int count = 0;
        for (String line = HttpLines.readLine(in); !line.isEmpty(); line = HttpLines.readLine(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            if (++count > MAX_FIELDS) {
                throw new IOException("more than " + MAX_FIELDS + " header fields");
            }
            fields.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return new ResponseHead(status, parts.length > 2 ? parts[2] : "", fields);
    }

    public Optional<String> first(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }

    /**
     * How the body is framed: chunked, a Content-Length, or (neither) until the connection closes.
     *
     * @return the Content-Length, or -1 when the body is chunked or runs to the end of the connection
     * @throws IOException when Content-Length is not a non-negative number
     */
    public long contentLength() throws IOException {
        if (chunked()) {
            return -1;
        }
        Optional<String> length = first("Content-Length");
        if (length.isEmpty()) {
            return -1;
        }
        try {
            long n = Long.parseLong(length.get());
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length: " + length.get(), e);
        }
    }

    public boolean chunked() {
        return first("Transfer-Encoding").map(v -> v.toLowerCase(java.util.Locale.ROOT).contains("chunked")).orElse(false);
    }
}
