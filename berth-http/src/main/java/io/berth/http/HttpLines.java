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

    /**
     * Reads one CRLF- (or bare LF-) terminated line, without its terminator, as ISO-8859-1.
     *
     * @throws EOFException when the stream ends before the line's first byte
     */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    throw new EOFException("end of stream before an HTTP line");
                }
                break;
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
