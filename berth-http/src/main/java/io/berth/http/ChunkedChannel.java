package io.berth.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * A server's chunked body written from buffers, one chunk per write, sent at once. On a plain connection a chunk's
 * data goes to the socket straight from the caller's buffer (from a direct buffer, without any copy in user space:
 * a stream would copy it into a heap array and the JDK again into a direct one); the chunk's size line and its end
 * go through the connection's stream, flushed before the data so that the order holds. Without a socket (TLS) the
 * data is copied into a {@link ChunkedOutputStream}, a chunk per piece. {@link #close} writes the last chunk and
 * leaves the connection open.
 */
public final class ChunkedChannel implements WritableByteChannel {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int COPY = 64 * 1024;

    private final OutputStream out;
    private final WritableByteChannel socket;
    /** The body's encoder when there is no socket to write the data to; null otherwise. */
    private final ChunkedOutputStream throughStream;
    private byte[] copy;
    private boolean open = true;

    /**
     * @param out    the connection's (buffered) stream
     * @param socket the connection's socket, which the stream writes to; null when the data must go through the
     *               stream too (TLS)
     */
    public ChunkedChannel(OutputStream out, WritableByteChannel socket) {
        this.out = out;
        this.socket = socket;
        this.throughStream = socket == null ? new ChunkedOutputStream(out, true) : null;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open) throw new ClosedChannelException();
        int len = src.remaining();
        if (throughStream != null) {
            if (copy == null) copy = new byte[COPY];
            while (src.hasRemaining()) {
                int n = Math.min(copy.length, src.remaining());
                src.get(copy, 0, n);
                throughStream.write(copy, 0, n);
            }
            return len;
        }
        if (len == 0) return 0; // a zero-length chunk would end the body
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (src.hasRemaining()) socket.write(src);
        out.write(CRLF);
        out.flush();
        return len;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Writes the last chunk and flushes; later calls do nothing. */
    @Override
    public void close() throws IOException {
        if (!open) return;
        open = false;
        if (throughStream != null) {
            throughStream.finish();
            return;
        }
        out.write(LAST_CHUNK);
        out.flush();
    }
}
