package io.berth.client;

import java.io.IOException;
import java.io.InputStream;

/** A Content-Length body: exactly {@code length} bytes, then end of stream. */
final class BoundedInputStream extends InputStream {

    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            throw new IOException("connection closed before end of body");
        }
        remaining--;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("connection closed before end of body");
        }
        remaining -= n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
