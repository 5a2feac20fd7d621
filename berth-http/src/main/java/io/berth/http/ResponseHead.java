package io.berth.http;

import java.io.IOException;
import java.io.InputStream;
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
    public ResponseHead {
        fields = HeaderFields.copyOf(fields);
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
        TreeMap<String, List<String>> fields = HeaderFields.read(in);
        return new ResponseHead(status, parts.length > 2 ? parts[2] : "", fields);
    }

    public Optional<String> first(String name) {
        return HeaderFields.first(fields, name);
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
        return HeaderFields.length(length.get());
    }

    public boolean chunked() {
        return HeaderFields.chunked(fields);
    }
}
