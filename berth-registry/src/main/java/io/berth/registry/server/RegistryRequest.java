package io.berth.registry.server;

import com.sun.net.httpserver.HttpExchange;
import io.berth.oci.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;

/** One request as the handlers see it: the matched route's parts, query, headers, body and response helpers. */
final class RegistryRequest {
    private final HttpExchange exchange;
    private final Matcher match;
    private final Map<String, String> query;

    RegistryRequest(HttpExchange exchange, Matcher match) {
        this.exchange = exchange;
        this.match = match;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getRawPath();
    }

    /** The repository name of routes that have one, validated. */
    RepositoryName name() {
        return new RepositoryName(match.group("name"));
    }

    boolean hasName() {
        try {
            match.group("name");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    String part(String group) {
        return match.group(group);
    }

    String query(String key) {
        return query.get(key);
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** Host the client addressed, for absolute URLs (the token realm). */
    String host() {
        String host = header("Host");
        if (host == null) {
            var local = exchange.getLocalAddress();
            host = local.getHostString() + ":" + local.getPort();
        }
        return host;
    }

    boolean secure() {
        return exchange instanceof com.sun.net.httpserver.HttpsExchange;
    }

    /** The announced body length, or -1 when the client sent none or a chunked body. */
    long contentLength() {
        String value = header("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            if (length < 0) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, "invalid Content-Length: " + value);
        }
    }

    RequestBody body() {
        return new RequestBody(exchange.getRequestBody(), contentLength());
    }

    /** Reads a small body (a manifest) with a hard limit, so no announced length makes us allocate much. */
    byte[] smallBody(int limit) throws IOException {
        long announced = contentLength();
        if (announced > limit) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, 413, "body larger than " + limit + " bytes", Map.of());
        }
        RequestBody body = body();
        InputStream in = body.stream();
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, 413, "body larger than " + limit + " bytes", Map.of());
        }
        body.checkComplete();
        return bytes;
    }

    void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    void respond(int status, Map<String, String> headers) throws IOException {
        headers.forEach(this::setHeader);
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    void respond(int status, String contentType, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach(this::setHeader);
        setHeader("Content-Type", contentType);
        if (method().equals("HEAD")) {
            setHeader("Content-Length", Long.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    void respondJson(int status, Object value, Map<String, String> headers) throws IOException {
        respond(status, "application/json", Json.canonicalBytes(value), headers);
    }

    /** Headers for a body of {@code length} bytes that the caller then writes to {@link #responseBody()}. */
    void startBody(int status, long length) throws IOException {
        if (method().equals("HEAD")) {
            setHeader("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        }
    }

    OutputStream responseBody() {
        return exchange.getResponseBody();
    }

    HttpExchange exchange() {
        return exchange;
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> result = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            // Scopes repeat (scope=a&scope=b): keep them all, space-separated as the token spec joins them.
            result.merge(key, value, (a, b) -> a + " " + b);
        }
        return result;
    }
}
