package io.berth.registry.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A small HTTP proxy in front of a registry that records every request (method, path, query, Range and
 * Authorization headers) and counts blob bytes served, so tests can assert what went over the wire. It can
 * also play a Docker-style token server (Bearer challenges, {@code /token} with Basic credentials) and cut a
 * blob download short to simulate a broken connection.
 */
final class CountingProxy implements AutoCloseable {
    record Seen(String method, String path, String query, String range, String authorization) {
        boolean isBlobUpload() {
            return path.contains("/blobs/uploads/") && !method.equals("GET");
        }

        boolean isBlobGet() {
            return method.equals("GET") && path.startsWith("/v2/") && path.contains("/blobs/sha256:");
        }
    }

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String backend;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicLong blobBytes = new AtomicLong();
    private final AtomicLong truncateNextBlobGetAt = new AtomicLong(-1);
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final List<String> tokenQueries = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenCounter = new AtomicInteger();
    private final HttpServer storage;
    private final AtomicInteger patchesBeforeFailure = new AtomicInteger(-1);
    private volatile boolean redirectBlobs;
    private volatile String bearerUser;
    private volatile String bearerPassword;

    CountingProxy(String backendDomain) throws IOException {
        this.backend = "http://" + backendDomain;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        // A second server on another port plays the object storage a registry redirects blob downloads to.
        storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        storage.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        storage.createContext("/", this::handleStorage);
        storage.start();
    }

    /** From now on, blob GETs are answered with a 307 to the storage server, which serves them without auth. */
    void redirectBlobGets() {
        redirectBlobs = true;
    }

    String storageDomain() {
        return "127.0.0.1:" + storage.getAddress().getPort();
    }

    private void handleStorage(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Seen request = new Seen(exchange.getRequestMethod(), "/storage" + uri.getRawPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Range"),
                    exchange.getRequestHeaders().getFirst("Authorization"));
            seen.add(request);
            forward(exchange, request);
        } catch (IOException | InterruptedException e) {
            // as in handle
        }
    }

    String domain() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, /v2/ needs a Bearer token from /token, which wants these Basic credentials. */
    void requireBearer(String user, String password) {
        bearerUser = user;
        bearerPassword = password;
    }

    /** The next blob GET sends {@code bytes} bytes of the body and then drops the connection. */
    void truncateNextBlobGet(long bytes) {
        truncateNextBlobGetAt.set(bytes);
    }

    /** After {@code passed} more PATCHes go through, the next one is answered 500 (the registry's storage failing). */
    void failPatchAfter(int passed) {
        patchesBeforeFailure.set(passed);
    }

    List<Seen> requests() {
        return List.copyOf(seen);
    }

    long count(Predicate<Seen> which) {
        return seen.stream().filter(which).count();
    }

    List<String> tokenQueries() {
        return List.copyOf(tokenQueries);
    }

    long blobBytesServed() {
        return blobBytes.get();
    }

    void reset() {
        seen.clear();
        blobBytes.set(0);
        tokenQueries.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            if (uri.getPath().equals("/token")) {
                token(exchange);
                return;
            }
            Seen request = new Seen(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Range"),
                    exchange.getRequestHeaders().getFirst("Authorization"));
            seen.add(request);
            if (bearerUser != null && !authorised(exchange)) {
                challenge(exchange);
                return;
            }
            if (request.method().equals("PATCH") && patchesBeforeFailure.getAndUpdate(n -> n >= 0 ? n - 1 : n) == 0) {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                byte[] body = "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"storage failed (test)\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            if (redirectBlobs && request.isBlobGet()) {
                exchange.getResponseHeaders().add("Location", "http://" + storageDomain() + uri.getRawPath());
                exchange.sendResponseHeaders(307, -1);
                return;
            }
            forward(exchange, request);
        } catch (IOException | InterruptedException e) {
            // a deliberately truncated response ends here; the client sees a broken connection
        }
    }

    private boolean authorised(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.startsWith("Bearer ") && tokens.containsKey(header.substring(7));
    }

    private void challenge(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String scope = "";
        int blobs = Math.max(path.indexOf("/blobs/"), path.indexOf("/manifests/"));
        if (path.startsWith("/v2/") && blobs > 4) {
            String repo = path.substring(4, blobs);
            scope = ",scope=\"repository:" + repo + ":" + (exchange.getRequestMethod().equals("GET")
                    || exchange.getRequestMethod().equals("HEAD") ? "pull" : "pull,push") + "\"";
        }
        exchange.getResponseHeaders().add("WWW-Authenticate",
                "Bearer realm=\"http://" + domain() + "/token\",service=\"berth-test\"" + scope);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(401, -1);
            return;
        }
        byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(401, body.length);
        exchange.getResponseBody().write(body);
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenQueries.add(exchange.getRequestURI().getRawQuery());
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (bearerUser + ":" + bearerPassword).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(header)) {
            byte[] body = "{\"details\":\"incorrect username or password\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            return;
        }
        String token = "token-" + tokenCounter.incrementAndGet();
        tokens.put(token, String.valueOf(exchange.getRequestURI().getRawQuery()));
        byte[] body = ("{\"token\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private void forward(HttpExchange exchange, Seen request) throws IOException, InterruptedException {
        URI uri = exchange.getRequestURI();
        String path = request.path().startsWith("/storage/") ? request.path().substring("/storage".length())
                : uri.getRawPath();
        byte[] requestBody;
        try (InputStream in = exchange.getRequestBody()) {
            requestBody = in.readAllBytes();
        }
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(backend + path
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                .method(request.method(), requestBody.length == 0 && !request.method().equals("PUT")
                        && !request.method().equals("PATCH") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(requestBody));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase("Authorization")) {
                values.forEach(v -> out.header(name, v));
            }
        });
        HttpResponse<byte[]> response = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.equals(":status")) {
                exchange.getResponseHeaders().put(name, new ArrayList<>(values));
            }
        });
        byte[] body = response.body();
        boolean head = request.method().equals("HEAD");
        if (head || body.length == 0) {
            exchange.sendResponseHeaders(response.statusCode(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.statusCode(), body.length);
        OutputStream os = exchange.getResponseBody();
        long cut = request.isBlobGet() ? truncateNextBlobGetAt.get() : -1;
        if (cut >= 0 && cut < body.length && truncateNextBlobGetAt.compareAndSet(cut, -1)) {
            os.write(body, 0, (int) cut);
            os.flush();
            blobBytes.addAndGet(cut);
            // Closing the exchange now, short of the promised length, makes the server drop the connection.
            return;
        }
        os.write(body);
        if (request.isBlobGet()) {
            blobBytes.addAndGet(body.length);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        storage.stop(0);
        http.close();
    }
}
