package io.berth.registry.server;

import io.berth.http.BoundedInputStream;
import io.berth.http.ChunkedInputStream;
import io.berth.http.ReasonPhrases;
import io.berth.http.RequestHead;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@link Exchange} of {@link PlainHttpServer}: one request on a connection that may carry more. The
 * connection is reused only if both bodies ended where their framing says; {@link #reusable} decides.
 */
final class SocketExchange implements Exchange {
    /** An unread request body up to this size is read and dropped to keep the connection; a larger one closes it. */
    private static final int MAX_DRAIN = 1024 * 1024;
    /** Bytes per read and write of a file region ({@link #sendFile}). */
    private static final int COPY_BUFFER = 256 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SocketChannel channel;
    private final RequestHead head;
    private final String rawPath;
    private final String rawQuery;
    private final OutputStream out;
    private final IncomingBody requestBody;
    private final OutgoingBody responseBody = new OutgoingBody();
    private final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private int status = -1;
    private boolean closeAfter;
    private boolean cutOff;
    private boolean closed;

    /** {@code in} and {@code out} are the connection's buffered streams; {@code head} has been read from {@code in}. */
    SocketExchange(SocketChannel channel, RequestHead head, InputStream in, OutputStream out) throws IOException {
        this.channel = channel;
        this.head = head;
        this.rawPath = head.rawPath();
        this.rawQuery = head.rawQuery();
        this.out = out;
        long length = head.contentLength();
        this.requestBody = new IncomingBody(head.chunked() ? new ChunkedInputStream(in)
                : length > 0 ? new BoundedInputStream(in, length) : InputStream.nullInputStream());
    }

    @Override
    public String method() {
        return head.method();
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public String requestHeader(String name) {
        return head.first(name).orElse(null);
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("connection closed", e);
        }
    }

    @Override
    public boolean secure() {
        return false;
    }

    @Override
    public InputStream requestBody() {
        return requestBody;
    }

    @Override
    public void setResponseHeader(String name, String value) {
        responseHeaders.put(name, value);
    }

    @Override
    public void sendHead(int status, long length) throws IOException {
        if (this.status != -1) {
            throw new IllegalStateException("the response head was sent already");
        }
        this.status = status;
        // A body the client holds back for a 100 Continue it never got may or may not follow: only closing is safe.
        closeAfter = !head.keepAlive() || (head.expectsContinue() && !requestBody.continued);
        boolean bodyless = status < 200 || status == 204 || status == 304;
        StringBuilder text = new StringBuilder(512).append("HTTP/1.1 ").append(status).append(' ')
                .append(ReasonPhrases.of(status)).append("\r\n")
                .append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\n");
        responseHeaders.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        if (!bodyless) {
            text.append("Content-Length: ").append(length).append("\r\n");
        }
        if (closeAfter) {
            text.append("Connection: close\r\n");
        }
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        responseBody.remaining = bodyless || method().equals("HEAD") ? 0 : length;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public OutputStream responseBody() {
        return responseBody;
    }

    /**
     * Reads the file into a direct buffer and writes that to the socket: one copy, and never through the heap.
     * Not {@link FileChannel#transferTo} (sendfile), though that copies nothing in user space: on loopback, where
     * a plain-HTTP registry serves, it was the slower of the two on 200 MB GETs (server and client on a CPU each):
     * 80-86 ms per GET against 54-57 ms, with distribution at 70-76 ms.
     */
    @Override
    public void sendFile(FileChannel file, long position, long count) throws IOException {
        if (count > responseBody.remaining) {
            throw new IOException("response body longer than the announced length");
        }
        out.flush();
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(COPY_BUFFER, Math.max(count, 1)));
        long at = position;
        long end = position + count;
        while (at < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
            if (file.read(buffer, at) < 0) {
                throw new IOException("file shorter than " + end + " bytes");
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                int n = channel.write(buffer);
                at += n;
                responseBody.remaining -= n;
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cutOff = status == -1 || responseBody.remaining > 0;
        try {
            out.flush();
        } catch (IOException e) {
            cutOff = true;
        }
    }

    /**
     * Whether the connection can carry the next request: the client allows it, the response was whole, and the
     * request body has been read to its end (what the handler left unread is drained, up to a bound).
     */
    boolean reusable() {
        if (closeAfter || cutOff || status == -1) {
            return false;
        }
        try {
            return requestBody.skip(MAX_DRAIN) < MAX_DRAIN || requestBody.read() < 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The request body as the handler reads it. The first read sends the 100 Continue a client may be waiting
     * for, so a request refused before its body is read (401, 413) does not make the client send it. Closing it
     * leaves the connection open.
     */
    private final class IncomingBody extends InputStream {
        private final InputStream framed;
        private boolean continued;

        IncomingBody(InputStream framed) {
            this.framed = framed;
        }

        @Override
        public int read() throws IOException {
            continueOnce();
            return framed.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            continueOnce();
            return framed.read(b, off, len);
        }

        private void continueOnce() throws IOException {
            if (!continued && head.expectsContinue() && status == -1) {
                out.write(CONTINUE);
                out.flush();
            }
            continued = true;
        }

        @Override
        public void close() {
            // the connection outlives the request
        }
    }

    /** The response body: exactly the announced length; flushing and closing leave the connection open. */
    private final class OutgoingBody extends OutputStream {
        private long remaining;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > remaining) {
                throw new IOException("response body longer than the announced length");
            }
            out.write(b, off, len);
            remaining -= len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
