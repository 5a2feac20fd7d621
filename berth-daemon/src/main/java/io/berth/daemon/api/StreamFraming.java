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

    private static final int MERGED_FRAME = 32 * 1024;

    private final OutputStream out;
    private final boolean raw;
    private byte[] pending;
    private int pendingStream;
    private int pendingLength;

    public StreamFraming(OutputStream out, boolean raw) {
        this.out = out;
        this.raw = raw;
    }

    /** Writes one frame and flushes it: for live streams, where the client must see output as it comes. */
    public synchronized void write(int stream, byte[] data, int off, int len) throws IOException {
        if (len == 0) return;
        emitPending();
        emit(stream, data, off, len);
        out.flush();
    }

    /**
     * Adds {@code data} to the stream without flushing: for replays (logs), where a frame per record would make
     * a 200 MB log millions of frames for the client to demultiplex. Consecutive data of one stream is merged
     * into frames of up to {@link #MERGED_FRAME} bytes (frame boundaries carry no meaning in Docker's
     * protocol); the caller {@link #flush()}es when it has caught up with its source.
     */
    public synchronized void append(int stream, byte[] data, int off, int len) throws IOException {
        if (len == 0) return;
        if (pendingLength > 0 && (stream != pendingStream || pendingLength + len > MERGED_FRAME)) emitPending();
        if (len > MERGED_FRAME) {
            emit(stream, data, off, len);
            return;
        }
        if (pending == null) pending = new byte[MERGED_FRAME]; // live streams (write) never need it
        System.arraycopy(data, off, pending, pendingLength, len);
        pendingStream = stream;
        pendingLength += len;
    }

    public synchronized void flush() throws IOException {
        emitPending();
        out.flush();
    }

    private void emitPending() throws IOException {
        if (pendingLength == 0) return;
        emit(pendingStream, pending, 0, pendingLength);
        pendingLength = 0;
    }

    private void emit(int stream, byte[] data, int off, int len) throws IOException {
        if (!raw) {
            out.write(new byte[] {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
        }
        out.write(data, off, len);
    }

    /** Copies one output stream of a container into the framed response until it ends. */
    public void pump(int stream, InputStream in) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) write(stream, buf, 0, n);
    }
}
