package io.berth.daemon.http;

import io.berth.http.ReasonPhrases;
import io.berth.http.ChunkedChannel;
import io.berth.http.ChunkedOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.NetworkChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;


/**
 * The response side of one exchange. Exactly one of {@link #send}, {@link #stream} or {@link #hijack}
 * is called per request; the connection is reused afterwards only for fixed-length responses.
 */
public final class HttpResponse {
    /** The size of a bulk body's chunks: as large as Docker's (Go's io.Copy moves 32 KiB) and more. */
    static final int BULK_CHUNK = 64 * 1024;
    /** The socket's send buffer for a body written from buffers (the kernel caps it at net.core.wmem_max). */
    private static final int STREAM_SEND_BUFFER = 4 * 1024 * 1024;

    private final OutputStream out;
    private final InputStream rawIn;
    /** The connection's socket when it is plain (no TLS), which {@link #out} writes to; else null. */
    private final WritableByteChannel socket;
    private final boolean headOnly;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean committed;
    private boolean keepAlive = true;

    HttpResponse(OutputStream out, InputStream rawIn, WritableByteChannel socket, boolean headOnly) {
        this.out = out;
        this.rawIn = rawIn;
        this.socket = socket;
        this.headOnly = headOnly;
    }

    public HttpResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public boolean committed() {
        return committed;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** The connection ends after this response (the request's framing broke, or the handler failed hard). */
    void closeAfter() {
        keepAlive = false;
    }

    public void json(int status, Object body) throws IOException {
        byte[] bytes = ApiJson.MAPPER.writeValueAsBytes(body);
        byte[] withNewline = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, withNewline, 0, bytes.length);
        withNewline[bytes.length] = '\n';
        send(status, "application/json", withNewline);
    }

    public void text(int status, String body) throws IOException {
        send(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public void empty(int status) throws IOException {
        send(status, null, new byte[0]);
    }

    public void send(int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) headers.put("Content-Type", contentType);
        headers.put("Content-Length", Integer.toString(body.length));
        writeHead(status);
        if (!headOnly) out.write(body);
        out.flush();
    }

    /**
     * Starts a chunked bulk body (an image or container archive): gathered into chunks of {@link #BULK_CHUNK}
     * bytes, because what the tar writer hands over in small pieces would otherwise go out as as many chunks and
     * socket writes, each a read for the client. Closing the stream sends the rest and ends the response.
     */
    public OutputStream bulkStream(int status, String contentType) throws IOException {
        return new BufferedOutputStream(stream(status, contentType), BULK_CHUNK);
    }

    /** Starts a chunked body (logs, events, progress); each write is a chunk sent at once; closing the stream ends the response. */
    public OutputStream stream(int status, String contentType) throws IOException {
        return startChunked(status, contentType) ? new ChunkedOutputStream(out, true) : OutputStream.nullOutputStream();
    }

    /**
     * As {@link #stream}, for a body written from buffers (a log replay): on a plain connection their data goes to
     * the socket without being copied into a stream. Closing the channel ends the response.
     */
    public WritableByteChannel streamChannel(int status, String contentType) throws IOException {
        // Room for several of the caller's buffers in the socket: with the default (208 KiB) a writer of 512 KiB
        // blocks in every write, and each block parks the virtual thread and wakes it through the poller.
        if (socket instanceof NetworkChannel s) s.setOption(StandardSocketOptions.SO_SNDBUF, STREAM_SEND_BUFFER);
        return startChunked(status, contentType)
                ? new ChunkedChannel(out, socket) : Channels.newChannel(OutputStream.nullOutputStream());
    }

    /** Writes the head of a chunked response; false for a HEAD request, which gets no body. */
    private boolean startChunked(int status, String contentType) throws IOException {
        headers.put("Content-Type", contentType);
        if (headOnly) {
            headers.put("Content-Length", "0");
            writeHead(status);
            out.flush();
            return false;
        }
        headers.put("Transfer-Encoding", "chunked");
        writeHead(status);
        out.flush();
        return true;
    }

    /**
     * Takes over the connection for attach/exec: answers 101 (when the client asked to upgrade) or 200, then
     * hands back the raw socket streams. The connection is closed when the handler returns.
     */
    public Hijacked hijack(boolean upgrade, String contentType) throws IOException {
        keepAlive = false;
        headers.put("Content-Type", contentType);
        if (upgrade) {
            headers.put("Connection", "Upgrade");
            headers.put("Upgrade", "tcp");
        }
        writeHead(upgrade ? 101 : 200);
        out.flush();
        return new Hijacked(rawIn, out);
    }

    public record Hijacked(InputStream in, OutputStream out) {}

    /**
     * Takes over the connection for a WebSocket (attach/ws): answers 101 with the handshake's
     * {@code Sec-WebSocket-Accept}, then hands back the raw socket streams, closed when the handler returns.
     */
    public Hijacked upgradeToWebSocket(String accept) throws IOException {
        keepAlive = false;
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Accept", accept);
        writeHead(101, "Switching Protocols");
        out.flush();
        return new Hijacked(rawIn, out);
    }

    private void writeHead(int status) throws IOException {
        writeHead(status, reason(status));
    }

    private void writeHead(int status, String reason) throws IOException {
        if (committed) throw new IllegalStateException("response already committed");
        committed = true;
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        head.append("Api-Version: ").append(ApiVersion.CURRENT).append("\r\n");
        head.append("Docker-Experimental: false\r\nOstype: linux\r\nServer: berth/").append(ApiVersion.ENGINE).append("\r\n");
        head.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC))).append("\r\n");
        for (var h : headers.entrySet()) head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Docker's daemon answers a hijack with "101 UPGRADED"; berth answers as it does. */
    private static String reason(int status) {
        return status == 101 ? "UPGRADED" : ReasonPhrases.of(status);
    }
}
