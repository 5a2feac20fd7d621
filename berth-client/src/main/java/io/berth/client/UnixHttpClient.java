package io.berth.client;

import io.berth.http.BoundedInputStream;
import io.berth.http.ChunkedInputStream;
import io.berth.http.ChunkedOutputStream;
import io.berth.http.ResponseHead;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over the daemon socket, one connection per request (cheap on a Unix socket and it keeps
 * streaming endpoints such as logs -f or events independent of each other).
 */
public final class UnixHttpClient {

    private static final String USER_AGENT = "berth-cli";

    private final DockerHost host;

    public UnixHttpClient(DockerHost host) {
        this.host = host;
    }

    public DockerHost host() {
        return host;
    }

    /** Sends the request and returns the response with its body de-framed. The caller closes it. */
    public HttpResponse send(HttpRequest request) {
        Connection connection = connect();
        try {
            write(connection, request, Map.of());
            InputStream in = new BufferedInputStream(connection.in(), 16 * 1024);
            ResponseHead head = ResponseHead.read(in);
            return new HttpResponse(head, bodyOf(request.method(), head, in), connection);
        } catch (IOException | RuntimeException e) {
            closeQuietly(connection);
            throw failure(e);
        }
    }

    /** A request already written to the daemon whose response is read later, possibly on another thread. */
    public final class SentRequest {
        private final HttpRequest request;
        private final Connection connection;

        private SentRequest(HttpRequest request, Connection connection) {
            this.request = request;
            this.connection = connection;
        }

        public HttpResponse awaitResponse() {
            try {
                InputStream in = new BufferedInputStream(connection.in(), 16 * 1024);
                ResponseHead head = ResponseHead.read(in);
                return new HttpResponse(head, bodyOf(request.method(), head, in), connection);
            } catch (IOException | RuntimeException e) {
                closeQuietly(connection);
                throw failure(e);
            }
        }
    }

    /**
     * Writes the request without waiting for the answer: callers such as {@code run} need a wait
     * request registered before they start the container, and some daemons send no response head
     * until the wait is over.
     */
    public SentRequest sendRequest(HttpRequest request) {
        Connection connection = connect();
        try {
            write(connection, request, Map.of());
            return new SentRequest(request, connection);
        } catch (IOException | RuntimeException e) {
            closeQuietly(connection);
            throw failure(e);
        }
    }

    /**
     * Sends an attach or exec-start request asking for a protocol upgrade. A 101 answer (or a 200
     * with a raw stream, as old daemons do) hands back the socket; any other status is an error
     * response whose body is left for the caller to read.
     */
    public HijackedStream hijack(HttpRequest request) {
        Connection connection = connect();
        try {
            write(connection, request, Map.of("Connection", "Upgrade", "Upgrade", "tcp"));
            InputStream in = new BufferedInputStream(connection.in(), 16 * 1024);
            ResponseHead head = ResponseHead.read(in);
            if (head.status() == 101 || head.status() == 200) {
                return new HijackedStream(head, in, connection);
            }
            HttpResponse error = new HttpResponse(head, bodyOf(request.method(), head, in), connection);
            throw EngineClient.errorOf(error);
        } catch (IOException | RuntimeException e) {
            closeQuietly(connection);
            throw failure(e);
        }
    }

    private Connection connect() {
        try {
            return Connection.open(host);
        } catch (IOException e) {
            throw connectFailure(host, e);
        } catch (IllegalArgumentException e) {
            // an unreadable CA, certificate or key: said before any byte is sent, as docker does
            throw new EngineConnectionException("could not use the TLS files for " + host.uri() + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a failed connect means to the user: a socket they may not open (EACCES: not root, not in the socket's
     * group) is not a daemon that is down, so it is said as docker says it.
     */
    static EngineConnectionException connectFailure(DockerHost host, IOException e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof javax.net.ssl.SSLException) {
            return new EngineConnectionException("error during connect: TLS with " + host.uri() + " failed: " + reason, e);
        }
        if (reason.contains("Permission denied") || e instanceof java.nio.file.AccessDeniedException) {
            return new EngineConnectionException("permission denied while trying to connect to the berth daemon socket at "
                    + host.uri() + ": connect: " + reason, e);
        }
        return new EngineConnectionException("Cannot connect to the berth daemon at " + host.uri()
                + ". Is the daemon running?", e);
    }

    private static void write(Connection connection, HttpRequest request, Map<String, String> extra) throws IOException {
        try {
            writeRequest(connection.out(), request, extra);
        } catch (IOException e) {
            throw connection.explain(e);
        }
    }

    static void writeRequest(OutputStream raw, HttpRequest request, Map<String, String> extra) throws IOException {
        OutputStream out = new BufferedOutputStream(raw, 16 * 1024);
        StringBuilder head = new StringBuilder(256);
        head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        head.append("Host: docker\r\n");
        head.append("User-Agent: ").append(USER_AGENT).append("\r\n");
        request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        extra.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        switch (request.body()) {
            case RequestBody.Empty e -> {
                if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                    head.append("Content-Length: 0\r\n");
                }
                head.append("\r\n");
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            }
            case RequestBody.Bytes bytes -> {
                head.append("Content-Type: ").append(bytes.contentType()).append("\r\n");
                head.append("Content-Length: ").append(bytes.data().length).append("\r\n\r\n");
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(bytes.data());
            }
            case RequestBody.Streamed streamed -> {
                head.append("Content-Type: ").append(streamed.contentType()).append("\r\n");
                head.append("Transfer-Encoding: chunked\r\n\r\n");
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                ChunkedOutputStream chunked = new ChunkedOutputStream(out, false);
                streamed.data().transferTo(chunked);
                chunked.finish();
            }
        }
        out.flush();
    }

    static InputStream bodyOf(String method, ResponseHead head, InputStream in) {
        int status = head.status();
        if (method.equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return InputStream.nullInputStream();
        }
        if (head.chunked()) {
            return new ChunkedInputStream(in);
        }
        try {
            long length = head.contentLength();
            return length >= 0 ? new BoundedInputStream(in, length) : in;
        } catch (IOException e) {
            // a broken length falls back to reading until the peer closes
            return in;
        }
    }

    private static RuntimeException failure(Exception e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof javax.net.ssl.SSLException) {
            // TLS 1.3 refuses a missing or unknown client certificate after the client's handshake: it shows here
            return new EngineConnectionException("error during connect: the daemon refused the TLS connection: "
                    + e.getMessage(), e);
        }
        return new EngineConnectionException("error talking to the daemon: " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // the original failure is the one worth reporting
        }
    }
}
