package io.berth.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a body of unknown length as HTTP/1.1 chunks, one chunk per write. {@link #finish} (or {@link #close},
 * which leaves the underlying stream open: the connection outlives the body) writes the last chunk, once.
 */
public final class ChunkedOutputStream extends OutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final boolean live;
    private boolean finished;

    /**
     * @param live whether every chunk is flushed as it is written: a server's streams (logs, events, progress)
     *             are read as they happen; an uploaded request body is better left to the buffer
     */
    public ChunkedOutputStream(OutputStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("chunked body already finished");
        }
        if (len == 0) {
            return; // a zero-length chunk would end the body
        }
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b, off, len);
        out.write(CRLF);
        if (live) {
            out.flush();
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** Writes the last chunk and flushes; later calls do nothing. */
    public synchronized void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        out.write(LAST_CHUNK);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        finish();
    }
}
