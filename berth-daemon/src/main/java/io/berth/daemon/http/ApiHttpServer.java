package io.berth.daemon.http;

import io.berth.http.ConnectionAcceptor;
import io.berth.http.HeadTimer;
import io.berth.http.HttpFramingException;
import io.berth.http.BoundedInputStream;
import io.berth.http.ChunkedInputStream;
import io.berth.http.RequestHead;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
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

import javax.net.ssl.SSLSocket;

/**
 * berthd's HTTP/1.1 server: the Engine API on Unix sockets and TCP ports (plain, or TLS through the JDK's
 * {@link SSLSocket} layered on the accepted channel), one virtual thread per connection. Every listener feeds the
 * same request handling; only how a connection's byte streams are opened differs.
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
public final class ApiHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ApiHttpServer.class.getName());
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * How long a head may take, and how many connections are served at once (more wait in the listen backlog).
     * moby's daemon allows 5 minutes for a head; local clients send theirs at once, so berthd allows 30 s.
     */
    public record Limits(Duration headTimeout, int maxConnections) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), 512);
    }

    /** Go's answer when a plain HTTP request reaches a TLS port: clients and curl users see at once what is wrong. */
    private static final byte[] NOT_TLS = ("HTTP/1.0 400 Bad Request\r\n\r\n"
            + "Client sent an HTTP request to an HTTPS server.\n").getBytes(StandardCharsets.US_ASCII);
    private static final int TLS_HANDSHAKE = 0x16;

    private final List<ApiHost> hosts;
    private final ServerTls tls;
    private final RouteTable router;
    private final ErrorMapper errors;
    private final Limits limits;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final HeadTimer heads;
    private final List<ConnectionAcceptor> acceptors = new ArrayList<>();
    private final List<SocketAddress> bound = new ArrayList<>();
    private volatile boolean closed;

    public ApiHttpServer(Path socketPath, Router router, ErrorMapper errors) {
        this(socketPath, router, errors, Limits.DEFAULT);
    }

    public ApiHttpServer(Path socketPath, Router router, ErrorMapper errors, Limits limits) {
        this(List.of(new ApiHost.Unix(socketPath)), null, router, errors, limits);
    }

    /**
     * @param hosts every address to listen on; each gets its own accept loop and connection cap ({@link Limits}), all
     *              share the virtual-thread executor, the head deadline and the request handling
     * @param tls   TLS for the TCP hosts (null for plain HTTP); Unix sockets never use it, as dockerd's
     */
    public ApiHttpServer(List<ApiHost> hosts, ServerTls tls, RouteTable router, ErrorMapper errors, Limits limits) {
        this.hosts = List.copyOf(hosts);
        this.tls = tls;
        this.router = router;
        this.errors = errors;
        this.limits = limits;
        this.heads = new HeadTimer("berthd-head-deadlines", limits.headTimeout());
    }

    /** Binds every host, or none: a host that cannot be bound closes the ones bound before it. */
    public void start() throws IOException {
        try {
            for (ApiHost host : hosts) {
                switch (host) {
                    case ApiHost.Unix unix -> listenUnix(unix.socket());
                    case ApiHost.Tcp tcp -> listenTcp(tcp);
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void listenUnix(Path socketPath) throws IOException {
        Files.createDirectories(socketPath.getParent());
        Files.deleteIfExists(socketPath);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath), ConnectionAcceptor.BACKLOG);
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-rw----"));
        accept("berthd-accept", server, channel -> serve(channel, null));
    }

    private void listenTcp(ApiHost.Tcp host) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        try {
            server.bind(new InetSocketAddress(host.host(), host.port()), ConnectionAcceptor.BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + host.uri() + ": " + e.getMessage(), e);
        }
        accept("berthd-accept-" + host.uri(), server, channel -> {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            serve(channel, tls);
        });
    }

    private void accept(String name, ServerSocketChannel server, ConnectionAcceptor.Connection serve) throws IOException {
        ConnectionAcceptor acceptor = new ConnectionAcceptor(name, server, limits.maxConnections(), connections, serve, LOG);
        synchronized (acceptors) {
            acceptors.add(acceptor);
            bound.add(server.getLocalAddress());
        }
        acceptor.start(Thread.ofPlatform().daemon(false));
    }

    /** The addresses bound, in the order of the hosts (a TCP port 0 shows the port the kernel chose). */
    public List<SocketAddress> boundAddresses() {
        synchronized (acceptors) {
            return List.copyOf(bound);
        }
    }

    /** Connections being served now; for tests of the cap. */
    int openConnections() {
        synchronized (acceptors) {
            return acceptors.stream().mapToInt(ConnectionAcceptor::openConnections).sum();
        }
    }

    /** The byte streams of one connection, TLS or not, and how to end it. */
    private record Streams(InputStream in, OutputStream out, Closeable connection) {}

    private void serve(SocketChannel channel, ServerTls tls) throws IOException {
        // The deadline covers a TLS handshake too: a client that stalls in it holds a connection as a slow head does.
        HeadTimer.Deadline deadline = heads.start(channel);
        Streams streams = tls == null
                ? new Streams(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel)
                : openTls(channel, tls);
        if (streams == null) {
            deadline.cancel();
            return;
        }
        try (Closeable connection = streams.connection()) {
            serve(channel, tls == null ? channel : null, deadline, new BufferedInputStream(streams.in(), 16 * 1024),
                    new BufferedOutputStream(streams.out(), 16 * 1024));
        }
    }

    /**
     * Starts TLS on an accepted connection: a client that speaks plain HTTP gets Go's 400 instead of a failed handshake,
     * and with {@link ServerTls#verifyClients} a client without a certificate signed by the CA is refused in the
     * handshake. Null when the connection ended before a TLS session.
     */
    private static Streams openTls(SocketChannel channel, ServerTls tls) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(1);
        if (channel.read(first) < 0) return null;
        if (first.get(0) != TLS_HANDSHAKE) {
            channel.write(ByteBuffer.wrap(NOT_TLS));
            // Closing with the request unread would send a reset, which can destroy the answer before the client
            // reads it: end our side, then take what the client still sends (the head deadline bounds the wait).
            channel.shutdownOutput();
            ByteBuffer rest = ByteBuffer.allocate(4096);
            for (int total = 0; total < 64 * 1024; total += rest.position()) {
                rest.clear();
                if (channel.read(rest) < 0) break;
            }
            return null;
        }
        SSLSocket ssl = (SSLSocket) tls.context().getSocketFactory()
                .createSocket(channel.socket(), new ByteArrayInputStream(new byte[] {first.get(0)}), true);
        ssl.setUseClientMode(false);
        ssl.setNeedClientAuth(tls.verifyClients());
        String peer = remote(channel);
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            LOG.info("TLS handshake with " + peer + " failed: " + e.getMessage());
            ssl.close();
            return null;
        }
        return new Streams(ssl.getInputStream(), ssl.getOutputStream(), () -> endTls(ssl, channel));
    }

    /**
     * Ends a TLS connection with close_notify alone. The JDK's {@code SSLSocket.close()} on TLS 1.3 sends user_canceled
     * first, which Go's TLS takes as a fatal error: the docker CLI printed a container's output, then failed with
     * "remote error: tls: user canceled".
     */
    private static void endTls(SSLSocket ssl, SocketChannel channel) throws IOException {
        try {
            if (!ssl.isOutputShutdown()) ssl.shutdownOutput();
        } catch (IOException e) {
            // the peer is gone already; closing is all that is left
        } finally {
            channel.close();
        }
    }

    private static String remote(SocketChannel channel) {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "a closed connection";
        }
    }

    /** @param plain the socket when the connection is not TLS, so that a response may write buffers to it directly */
    private void serve(SocketChannel channel, SocketChannel plain, HeadTimer.Deadline first, BufferedInputStream in,
                       OutputStream out) throws IOException {
        HeadTimer.Deadline deadline = first;
        while (!closed) {
            RequestHead head;
            try {
                head = heads.read(in, deadline);
            } catch (HttpFramingException e) {
                refuse(out, in, e.status(), e.getMessage());
                return;
            }
            if (!serveOne(head, in, out, plain)) {
                return;
            }
            HeadTimer.awaitNextRequest(in);
            deadline = heads.start(channel);
        }
    }

    /** Serves one request; true when the connection may carry the next one. */
    private boolean serveOne(RequestHead head, InputStream in, OutputStream out, SocketChannel plain) throws IOException {
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
        HttpResponse response = new HttpResponse(out, in, plain, head.method().equals("HEAD"));
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
        HttpResponse refused = new HttpResponse(out, in, null, false);
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
        synchronized (acceptors) {
            acceptors.forEach(ConnectionAcceptor::close);
        }
        connections.shutdownNow();
        heads.close();
        for (ApiHost host : hosts) {
            if (host instanceof ApiHost.Unix unix) Files.deleteIfExists(unix.socket());
        }
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
