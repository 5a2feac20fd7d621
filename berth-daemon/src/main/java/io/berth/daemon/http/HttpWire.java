package io.berth.daemon.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Line-level reading of HTTP/1.1 framing, with limits so a hostile client cannot exhaust memory. */
final class HttpWire {
    static final byte[] CRLF = {'\r', '\n'};
    static final int MAX_LINE = 64 * 1024;

    private HttpWire() {}

    /** Reads one CRLF- (or LF-) terminated line; EOFException at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) throw new EOFException();
                break;
            }
            if (b == '\n') break;
            if (line.size() >= MAX_LINE) throw new IOException("header line too long");
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') len--;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
}
