package io.berth.daemon.http;

import io.berth.http.ChunkedInputStream;
import io.berth.http.HttpLines;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
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
import java.util.ArrayList;
import java.util.HashMap;
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
 * streams", and the JDK's Unix-domain channels need no native jar. Requests are parsed with size limits;
 * a malformed request gets a 400 and closes only its own connection.
 */
public final class UnixHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UnixHttpServer.class.getName());
    private static final int MAX_HEADERS = 200;

    private final Path socketPath;
    private final Router router;
    private final ErrorMapper errors;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private ServerSocketChannel server;
    private volatile boolean closed;

    public UnixHttpServer(Path socketPath, Router router, ErrorMapper errors) {
        this.socketPath = socketPath;
        this.router = router;
        this.errors = errors;
    }

    public void start() throws IOException {
        Files.createDirectories(socketPath.getParent());
        Files.deleteIfExists(socketPath);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
        Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString("rw-rw----"));
        Thread.ofPlatform().name("berthd-accept").daemon(false).start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel channel = server.accept();
                connections.submit(() -> serve(channel));
            } catch (IOException e) {
                if (!closed) LOG.log(Level.WARNING, "accept failed", e);
            }
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 16 * 1024);
            boolean keepAlive = true;
            while (keepAlive && !closed) {
                HttpRequest request;
                try {
                    request = readRequest(in);
                } catch (EOFException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    HttpResponse bad = new HttpResponse(out, in, false);
                    bad.header("Connection", "close").json(400, Map.of("message", "malformed HTTP request: " + e.getMessage()));
                    return;
                }
                if ("100-continue".equalsIgnoreCase(request.headers().get("expect"))) {
                    // curl and others wait a second for this before sending a large body.
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                }
                HttpResponse response = new HttpResponse(out, in, request.method().equals("HEAD"));
                dispatch(request, response);
                // A body the handler did not read would be taken for the next request.
                if (response.keepAlive()) request.body().transferTo(OutputStream.nullOutputStream());
                keepAlive = response.keepAlive() && !"close".equalsIgnoreCase(request.headers().get("connection"));
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "connection ended", e);
        }
    }

    private void dispatch(HttpRequest request, HttpResponse response) throws IOException {
        try {
            switch (router.match(request.method(), request.path())) {
                case Router.Match.Found found -> found.handler().handle(request.withPathParams(found.params()), response);
                case Router.Match.MethodNotAllowed ignored ->
                        response.json(405, Map.of("message", "method " + request.method() + " not allowed on " + request.path()));
                case Router.Match.NotFound ignored ->
                        response.json(404, Map.of("message", "page not found"));
            }
        } catch (Exception e) {
            if (response.committed()) {
                LOG.log(Level.FINE, "failure after the response started: " + request.path(), e);
                throw new IOException("response aborted", e);
            }
            ErrorMapper.ApiError error = errors.map(e);
            if (error.status() >= 500) LOG.log(Level.WARNING, request.method() + " " + request.path() + " failed", e);
            if (error.status() == 304) response.empty(304);
            else response.json(error.status(), Map.of("message", error.message()));
        }
    }

    private static HttpRequest readRequest(InputStream in) throws IOException {
        String requestLine = HttpLines.readLine(in);
        while (requestLine.isEmpty()) requestLine = HttpLines.readLine(in);
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) throw new IOException("bad request line");
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; ; i++) {
            if (i > MAX_HEADERS) throw new IOException("too many headers");
            String line = HttpLines.readLine(in);
            if (line.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IOException("bad header line");
            headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        String target = parts[1];
        int q = target.indexOf('?');
        String rawPath = q >= 0 ? target.substring(0, q) : target;
        Map<String, List<String>> query = parseQuery(q >= 0 ? target.substring(q + 1) : "");
        String[] versionAndPath = ApiVersion.split(rawPath);
        InputStream body;
        if (headers.isChunked()) body = new ChunkedInputStream(in);
        else if (headers.contentLength() > 0) body = new LimitedInputStream(in, headers.contentLength());
        else body = InputStream.nullInputStream();
        return new HttpRequest(parts[0], versionAndPath[1], query, headers, body, Map.of(), versionAndPath[0]);
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
        if (server != null) server.close();
        connections.shutdownNow();
        Files.deleteIfExists(socketPath);
    }

}
