package io.berth.daemon.http;

import io.berth.http.ConnectionAcceptor;
import io.berth.http.HeadTimer;
import io.berth.http.HttpFramingException;
import io.berth.http.BoundedInputStream;
import io.berth.http.ChunkedInputStream;
import io.berth.http.RequestHead;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * HTTP/1.1 on a Unix socket, one virtual thread per connection.
 *
 * <p>Why not Netty: the Engine API's hard parts are hijacked attach/exec streams and long-lived chunked
 * streams (logs -f, events, wait). With blocking I/O on virtual threads a hijack is simply "keep the socket
 * streams", and the JDK's Unix-domain channels need no native jar.
 *
 * <p>Untrusted input: heads are read by berth-http's {@link RequestHead} (Go's limits and rules; a refused head
 * gets its status, 400/431/501/505, and the connection is closed), under a {@link HeadTimer} deadline, on at most
 * {@link Limits#maxConnections} connections ({@link ConnectionAcceptor}). A body whose chunked framing breaks is
 * answered with 400 whatever the handler made of the failure, and ends the connection. Any failure in a
 * connection, an {@link Error} included, is logged and ends that connection only.
 */
public final class UnixHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UnixHttpServer.class.getName());
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * How long a head may take, and how many connections are served at once (more wait in the listen backlog).
     * moby's daemon allows 5 minutes for a head; local clients send theirs at once, so berthd allows 30 s.
     */
    public record Limits(Duration headTimeout, int maxConnections) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), 512);
    }

    private final Path socketPath;
    private final Router router;
    private final ErrorMapper errors;
    private final Limits limits;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final HeadTimer heads;
    private ConnectionAcceptor acceptor;
    private volatile boolean closed;

    public UnixHttpServer(Path socketPath, Router router, ErrorMapper errors) {
        this(socketPath, router, errors, Limits.DEFAULT);
    }

    public UnixHttpServer(Path socketPath, Router router, ErrorMapper errors, Limits limits) {
        this.socketPath = socketPath;
        this.router = router;
        this.errors = errors;
        this.limits = limits;
        this.heads = new HeadTimer("berthd-head-deadlines", limits.headTimeout());
    }

    public void start() throws IOException {
        Files.createDirectories(socketPath.getParent());
        Files.deleteIfExists(socketPath);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath), ConnectionAcceptor.BACKLOG);
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-rw----"));
        acceptor = new ConnectionAcceptor("berthd-accept", server, limits.maxConnections(), connections, this::serve, LOG);
        acceptor.start(Thread.ofPlatform().daemon(false));
    }

    /** Connections being served now; for tests of the cap. */
    int openConnections() {
        return acceptor.openConnections();
    }

    private void serve(SocketChannel channel) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 16 * 1024);
        HeadTimer.Deadline deadline = heads.start(channel);
        while (!closed) {
            RequestHead head;
            try {
                head = heads.read(in, deadline);
            } catch (HttpFramingException e) {
                refuse(out, in, e.status(), e.getMessage());
                return;
            }
            if (!serveOne(head, in, out)) {
                return;
            }
            HeadTimer.awaitNextRequest(in);
            deadline = heads.start(channel);
        }
    }

    /** Serves one request; true when the connection may carry the next one. */
    private boolean serveOne(RequestHead head, InputStream in, OutputStream out) throws IOException {
        RequestBody body = new RequestBody(head.chunked() ? new ChunkedInputStream(in)
                : head.contentLength() > 0 ? new BoundedInputStream(in, head.contentLength()) : InputStream.nullInputStream());
        HttpRequest request;
        try {
            String[] versionAndPath = ApiVersion.split(head.rawPath());
            String rawQuery = head.rawQuery();
            request = new HttpRequest(head.method(), versionAndPath[1], parseQuery(rawQuery == null ? "" : rawQuery),
                    head, body, Map.of(), versionAndPath[0]);
        } catch (IllegalArgumentException e) {
            refuse(out, in, 400, e.getMessage());
            return false;
        }
        if (head.expectsContinue()) {
            // curl and others wait a second for this before sending a large body.
            out.write(CONTINUE);
            out.flush();
        }
        HttpResponse response = new HttpResponse(out, in, head.method().equals("HEAD"));
        dispatch(request, response, body);
        if (!response.keepAlive() || !head.keepAlive()) {
            return false;
        }
        // A body the handler did not read would be taken for the next request.
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (HttpFramingException e) {
            return false; // answered already; what follows on this connection cannot be framed
        }
        return true;
    }

    private void dispatch(HttpRequest request, HttpResponse response, RequestBody body) throws IOException {
        try {
            switch (router.match(request.method(), request.path())) {
                case Router.Match.Found found -> found.handler().handle(request.withPathParams(found.params()), response);
                case Router.Match.MethodNotAllowed ignored ->
                        response.json(405, Map.of("message", "method " + request.method() + " not allowed on " + request.path()));
                case Router.Match.NotFound ignored ->
                        response.json(404, Map.of("message", "page not found"));
            }
        } catch (Throwable e) {
            fail(request, response, body, e);
        }
    }

    /**
     * Answers a handler's failure. A broken request body is the client's fault whatever the handler made of it
     * (400, never 500); an {@link Error} is logged loudly and ends the connection, since the handler's state is
     * unknown; everything else goes through the {@link ErrorMapper}.
     */
    private void fail(HttpRequest request, HttpResponse response, RequestBody body, Throwable e) throws IOException {
        HttpFramingException framing = body.failure != null ? body.failure : framingCause(e);
        if (framing != null || e instanceof Error) {
            response.closeAfter();
            if (!response.committed()) response.header("Connection", "close");
        }
        if (e instanceof Error) {
            LOG.log(Level.SEVERE, request.method() + " " + request.path() + " failed with an Error; berthd keeps serving", e);
        }
        if (response.committed()) {
            if (!(e instanceof Error)) {
                LOG.log(Level.FINE, "failure after the response started: " + request.path(), e);
            }
            throw new IOException("response aborted", e);
        }
        if (framing != null) {
            response.json(framing.status(), Map.of("message", "malformed HTTP request body: " + framing.getMessage()));
            return;
        }
        ErrorMapper.ApiError error = e instanceof Error ? new ErrorMapper.ApiError(500, "internal error: " + e)
                : errors.map(e);
        if (error.status() >= 500 && !(e instanceof Error)) LOG.log(Level.WARNING, request.method() + " " + request.path() + " failed", e);
        if (error.status() == 304) response.empty(304);
        else response.json(error.status(), Map.of("message", error.message() == null ? "" : error.message()));
    }

    private static HttpFramingException framingCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpFramingException f) return f;
        }
        return null;
    }

    /** Answers a request that is refused before any handler, and closes: nothing after it can be framed. */
    private static void refuse(OutputStream out, InputStream in, int status, String why) throws IOException {
        HttpResponse refused = new HttpResponse(out, in, false);
        refused.header("Connection", "close").json(status, Map.of("message", "malformed HTTP request: " + why));
    }

    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw.isEmpty()) return query;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
            String value = eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (acceptor != null) acceptor.close();
        connections.shutdownNow();
        heads.close();
        Files.deleteIfExists(socketPath);
    }

    /**
     * The request body as handlers see it: closing it leaves the connection open, and a broken framing is
     * remembered, so the answer is a 400 however the handler wrapped the exception.
     */
    private static final class RequestBody extends FilterInputStream {
        private HttpFramingException failure;

        RequestBody(InputStream framed) {
            super(framed);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (HttpFramingException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (HttpFramingException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (HttpFramingException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void close() {
            // the connection outlives the request
        }
    }
}
