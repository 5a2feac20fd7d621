package io.berth.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/** An InputStream fed chunk by chunk from another thread (the attach socket pump); an empty chunk marks EOF. */
final class PacketInputStream extends InputStream {
    private static final byte[] EOF = new byte[0];
    private final LinkedBlockingQueue<byte[]> chunks;
    private byte[] current;
    private int pos;
    private boolean ended;

    /** Set when the reader has gone for good: what comes later is dropped instead of kept for nobody. */
    private volatile boolean discarding;

    /** Unbounded: {@link #offer} never blocks. */
    PacketInputStream() {
        this.chunks = new LinkedBlockingQueue<>();
    }

    /**
     * At most {@code capacity} chunks waiting (and one place more for the end): {@link #put} blocks while it is
     * full, so a pump that feeds it from a pipe leaves the writer blocked on a full pipe, as a pipe read directly
     * would.
     */
    PacketInputStream(int capacity) {
        this.chunks = new LinkedBlockingQueue<>(capacity + 1);
    }

    void offer(byte[] data) {
        if (data.length > 0 && !discarding) chunks.add(data);
    }

    /** As {@link #offer}, waiting for room when the stream is bounded. */
    void put(byte[] data) throws InterruptedException {
        if (data.length > 0 && !discarding) chunks.put(data);
    }

    /** Ends the stream for its reader now, whatever was still to come, and drops everything offered later. */
    void discard() {
        discarding = true;
        do {
            chunks.clear();
        } while (!chunks.offer(EOF)); // a bounded stream's pump may have filled it again meanwhile
    }

    void end() {
        try {
            chunks.put(EOF);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill(true)) return -1;
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        try {
            return fill(false) ? current.length - pos : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private boolean fill(boolean block) throws IOException {
        while (current == null || pos >= current.length) {
            if (ended) return false;
            byte[] next;
            try {
                next = block ? chunks.take() : chunks.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted reading container output");
            }
            if (next == null) return false;
            if (next == EOF) {
                ended = true;
                return false;
            }
            current = next;
            pos = 0;
        }
        return true;
    }

    @Override
    public void close() {
        ended = true;
        discarding = true; // a pump blocked on a full stream goes on, dropping what it reads
        chunks.clear();
    }
}
