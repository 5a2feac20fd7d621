package io.berth.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A body of known length: reads end after {@code length} bytes, and a connection that closes earlier is an
 * error rather than a short body. Closing it closes the underlying stream.
 */
public final class BoundedInputStream extends BlockInputStream {
    private final InputStream in;
    private long remaining;

    public BoundedInputStream(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    protected int readBlock(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("connection closed with " + remaining + " bytes of the body missing");
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), remaining);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
