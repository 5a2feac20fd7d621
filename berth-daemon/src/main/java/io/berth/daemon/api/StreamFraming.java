package io.berth.daemon.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Docker's stdout/stderr multiplexing: an 8-byte header [stream, 0, 0, 0, size as big-endian uint32]
 * before each chunk (stream 1 = stdout, 2 = stderr). With a TTY there is one raw stream and no headers.
 */
public final class StreamFraming {
    public static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
    public static final String RAW = "application/vnd.docker.raw-stream";
    public static final int STDOUT = 1;
    public static final int STDERR = 2;

    private final OutputStream out;
    private final boolean raw;

    public StreamFraming(OutputStream out, boolean raw) {
        this.out = out;
        this.raw = raw;
    }

    public synchronized void write(int stream, byte[] data, int off, int len) throws IOException {
        if (len == 0) return;
        if (raw) {
            out.write(data, off, len);
        } else {
            byte[] header = {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
            byte[] frame = new byte[8 + len];
            System.arraycopy(header, 0, frame, 0, 8);
            System.arraycopy(data, off, frame, 8, len);
            out.write(frame);
        }
        out.flush();
    }

    /** Copies one output stream of a container into the framed response until it ends. */
    public void pump(int stream, InputStream in) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) write(stream, buf, 0, n);
    }
}
