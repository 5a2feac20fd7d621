package io.berth.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Line-level reading of HTTP/1.1 framing, bounded so that a hostile peer cannot exhaust memory with one line. */
public final class HttpLines {
    public static final int MAX_LINE = 64 * 1024;

    private HttpLines() {}

    /** A line longer than its reader's bound; the caller decides what that means (431 for a head, 400 for a chunk). */
    public static final class LineTooLongException extends HttpFramingException {
        LineTooLongException(int limit) {
            super(400, "HTTP line longer than " + limit + " bytes");
        }
    }

    /**
     * Reads one CRLF- (or bare LF-) terminated line of at most {@link #MAX_LINE} bytes, without its terminator,
     * as ISO-8859-1.
     *
     * @throws EOFException when the stream ends before the line's first byte
     */
    public static String readLine(InputStream in) throws IOException {
        return readLine(in, MAX_LINE, false);
    }

    /**
     * Reads one line of at most {@code limit} bytes before its LF (a CR before the LF counts).
     *
     * @param crlfOnly whether a bare LF is refused (chunked framing, where a lenient reader is a smuggling vector)
     * @throws EOFException when the stream ends before the line's first byte
     * @throws LineTooLongException when the line runs past {@code limit}
     */
    public static String readLine(InputStream in, int limit, boolean crlfOnly) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    throw new EOFException("end of stream before an HTTP line");
                }
                if (crlfOnly) {
                    throw new HttpFramingException(400, "end of stream inside an HTTP line");
                }
                break;
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= limit) {
                throw new LineTooLongException(limit);
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        } else if (crlfOnly) {
            throw new HttpFramingException(400, "line ended by a bare LF");
        }
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
