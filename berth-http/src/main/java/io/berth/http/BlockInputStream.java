package io.berth.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * An InputStream whose subclasses only read blocks: the single-byte read and the empty read are answered here,
 * once, instead of in every body, channel and pipe stream.
 */
public abstract class BlockInputStream extends InputStream {

    /** Reads at least one byte into {@code b} (len > 0), or returns -1 at the end of the stream. */
    protected abstract int readBlock(byte[] b, int off, int len) throws IOException;

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        return len == 0 ? 0 : readBlock(b, off, len);
    }
}
