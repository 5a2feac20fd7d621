package io.berth.runtime.health;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A check's stdout and stderr, interleaved as they arrive and kept up to Docker's 4096 bytes; what does not fit
 * is read and dropped (so the check never blocks on a full pipe) and the text ends with "..." to say so.
 */
public final class ProbeOutput extends OutputStream {
    public static final int LIMIT = 4096;

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean truncated;

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int keep = Math.min(LIMIT - kept.size(), len);
        if (keep > 0) kept.write(b, off, keep);
        if (keep < len) truncated = true;
    }

    /** The kept output; invalid UTF-8 (a cut multi-byte character) becomes U+FFFD. */
    public synchronized String text() {
        String out = kept.toString(StandardCharsets.UTF_8);
        return truncated ? out + "..." : out;
    }
}
