package io.berth.registry.client;

import io.berth.http.BoundedInputStream;
import io.berth.http.ChunkedInputStream;
import io.berth.http.ResponseHead;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP/1.1 GET on a connection of its own, whose body is read straight from the socket: how blobs are
 * downloaded.
 * <p>
 * java.net.http hands a body over in 16 KiB heap buffers, queued from its selector thread to the reading
 * thread; on a 200 MB layer over loopback that cost 200–250 ms of CPU against 50 ms for a plain socket, and a
 * blob download is the critical path of a pull. Manifests, uploads and token requests stay on java.net.http.
 * The connection is closed with the body ({@code Connection: close}): blobs are large, so reusing connections
 * would save nothing worth the bookkeeping.
 */
final class BlobGet {
    /** A registry that stops sending for this long is treated as a broken connection (the download resumes). */
    static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
    private static final int BUFFER = 1 << 16;

    /** The response: its head, and its body framed by Content-Length, chunks, or the end of the connection. */
    record Response(URI uri, ResponseHead head, InputStream body) implements Closeable {
        int status() {
            return head.status();
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private BlobGet() {}

    /**
     * Sends {@code GET uri} with {@code headers}; the caller reads or closes the body.
     *
     * @param tls the TLS context for https (the session's java.net.http client's, so both trust the same CAs)
     */
    static Response send(URI uri, Map<String, String> headers, Duration connectTimeout, SSLContext tls)
            throws IOException {
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        if (!secure && !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IOException("unsupported URL scheme in " + uri);
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IOException("no host in " + uri);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            if (secure) {
                socket = handshake(tls, socket, host, port);
            }
            writeRequest(socket.getOutputStream(), uri, headers);
            InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER);
            ResponseHead head = ResponseHead.read(in);
            return new Response(uri, head, body(head, in));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket handshake(SSLContext tls, Socket plain, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
        // The same certificate and host name checks as java.net.http makes for the rest of the session.
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    private static void writeRequest(OutputStream out, URI uri, Map<String, String> headers) throws IOException {
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        StringBuilder request = new StringBuilder(256).append("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getRawAuthority()).append("\r\n");
        headers.forEach((name, value) -> {
            if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("line break in header " + name);
            }
            request.append(name).append(": ").append(value).append("\r\n");
        });
        request.append("Connection: close\r\n\r\n");
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static InputStream body(ResponseHead head, InputStream in) throws IOException {
        if (head.chunked()) {
            return new ChunkedInputStream(in);
        }
        long length = head.contentLength();
        return length >= 0 ? new BoundedInputStream(in, length) : in;
    }
}
