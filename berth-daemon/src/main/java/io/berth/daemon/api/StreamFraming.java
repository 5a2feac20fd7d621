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

    private static final int HEADER = 8;

    private final OutputStream out;
    private final boolean raw;

    public StreamFraming(OutputStream out, boolean raw) {
        this.out = out;
        this.raw = raw;
    }

    /** Writes one frame and flushes it: for live streams, where the client must see output as it comes. */
    public synchronized void write(int stream, byte[] data, int off, int len) throws IOException {
        if (len == 0) return;
        emit(stream, data, off, len);
        out.flush();
    }

    public synchronized void flush() throws IOException {
        out.flush();
    }

    private void emit(int stream, byte[] data, int off, int len) throws IOException {
        if (!raw) {
            byte[] header = new byte[HEADER];
            header(header, stream, len);
            out.write(header);
        }
        out.write(data, off, len);
    }

    private static void header(byte[] into, int stream, int len) {
        into[0] = (byte) stream;
        into[1] = 0;
        into[2] = 0;
        into[3] = 0;
        into[4] = (byte) (len >>> 24);
        into[5] = (byte) (len >>> 16);
        into[6] = (byte) (len >>> 8);
        into[7] = (byte) len;
    }

    /** Copies one output stream of a container into the framed response until it ends. */
    public void pump(int stream, InputStream in) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) write(stream, buf, 0, n);
    }
}
