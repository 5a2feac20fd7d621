package io.berth.daemon.http;

import java.io.IOException;
import java.io.InputStream;

/** Decodes an HTTP/1.1 chunked body; ends at the zero-length chunk (trailers are skipped). */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) return -1;
        if (remaining == 0) {
            remaining = nextChunkSize();
            if (remaining == 0) {
                done = true;
                while (!HttpWire.readLine(in).isEmpty()) { /* trailer lines */ }
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) throw new IOException("connection closed inside a chunk");
        remaining -= n;
        if (remaining == 0) HttpWire.readLine(in); // CRLF after the chunk data
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = HttpWire.readLine(in);
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) throw new NumberFormatException();
            return size;
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size: " + hex);
        }
    }
}
