package io.berth.daemon.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A client's terminal input that ends where the detach sequence is typed. Bytes that could begin the sequence are
 * held back until the next byte shows whether they do; if not they are passed on, and if the input ends first
 * they are passed on too. Whatever follows a complete sequence is dropped with it: the client has detached.
 */
final class DetachingInputStream extends InputStream {
    private final InputStream in;
    private final byte[] keys;
    private final byte[] buf = new byte[16 * 1024];
    /** Bytes ready for the reader. */
    private final ByteArrayOutputStream ready = new ByteArrayOutputStream();
    private byte[] pending = new byte[0];
    private int pendingPos;
    /** How many bytes of the sequence have been seen in a row (and held back). */
    private int matched;
    private boolean detached;
    private boolean eof;

    DetachingInputStream(InputStream in, byte[] keys) {
        if (keys.length == 0) throw new IllegalArgumentException("no detach keys");
        this.in = in;
        this.keys = keys.clone();
    }

    /** Whether the input ended because the client typed the detach sequence. */
    boolean detached() {
        return detached;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (pendingPos >= pending.length) {
            if (detached || eof) return -1;
            fill();
        }
        int n = Math.min(len, pending.length - pendingPos);
        System.arraycopy(pending, pendingPos, b, off, n);
        pendingPos += n;
        return n;
    }

    /** Reads once from the client and sorts what came into passed-on and held-back bytes. */
    private void fill() throws IOException {
        int n = in.read(buf);
        ready.reset();
        if (n < 0) {
            eof = true;
            ready.write(keys, 0, matched);
            matched = 0;
        }
        for (int i = 0; i < n && !detached; i++) {
            byte x = buf[i];
            if (x != keys[matched] && matched > 0) {
                // what was held back was not the sequence after all; x may begin it anew
                ready.write(keys, 0, matched);
                matched = 0;
            }
            if (x == keys[matched]) {
                if (++matched == keys.length) detached = true;
            } else {
                ready.write(x);
            }
        }
        pending = ready.toByteArray();
        pendingPos = 0;
    }
}
