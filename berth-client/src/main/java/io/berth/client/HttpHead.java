package io.berth.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The status line and header fields of an HTTP/1.x response. Header names are case-insensitive. */
public record HttpHead(int status, String reason, Map<String, String> headers) {

    static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_LINE = 64 * 1024;

    public String header(String name) {
        return headers.get(name);
    }

    /** Reads the head from {@code in}, leaving the stream positioned at the first body byte. */
    static HttpHead read(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine.isEmpty()) {
            throw new IOException("connection closed before a response was received");
        }
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
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new HttpHead(status, parts.length > 2 ? parts[2] : "", Collections.unmodifiableMap(headers));
    }

    /** One CRLF- (or LF-) terminated line without its terminator; empty at end of stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("HTTP line too long");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
}
