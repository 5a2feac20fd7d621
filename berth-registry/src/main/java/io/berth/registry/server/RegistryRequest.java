package io.berth.registry.server;

import io.berth.oci.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;

/** One request as the handlers see it: the matched route's parts, query, headers, body and response helpers. */
final class RegistryRequest {
    private final Exchange exchange;
    private final Matcher match;
    private final Map<String, String> query;

    RegistryRequest(Exchange exchange, Matcher match) {
        this.exchange = exchange;
        this.match = match;
        this.query = parseQuery(exchange.rawQuery());
    }

    String method() {
        return exchange.method();
    }

    String path() {
        return exchange.rawPath();
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
        return exchange.requestHeader(name);
    }

    /** Host the client addressed, for absolute URLs (the token realm). */
    String host() {
        String host = header("Host");
        if (host == null) {
            var local = exchange.localAddress();
            host = local.getHostString() + ":" + local.getPort();
        }
        return host;
    }

    boolean secure() {
        return exchange.secure();
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
        return new RequestBody(exchange.requestBody(), contentLength());
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
        exchange.setResponseHeader(name, value);
    }

    void respond(int status, Map<String, String> headers) throws IOException {
        headers.forEach(this::setHeader);
        exchange.sendHead(status, 0);
        exchange.close();
    }

    void respond(int status, String contentType, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach(this::setHeader);
        setHeader("Content-Type", contentType);
        exchange.sendHead(status, body.length);
        if (!method().equals("HEAD") && body.length > 0) {
            try (OutputStream out = exchange.responseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    void respondJson(int status, Object value, Map<String, String> headers) throws IOException {
        respond(status, "application/json", Json.canonicalBytes(value), headers);
    }

    /** Headers for a body of {@code length} bytes that the caller then sends with {@link #sendFile}; none for HEAD. */
    void startBody(int status, long length) throws IOException {
        exchange.sendHead(status, length);
    }

    /** Sends {@code count} bytes of {@code file} from {@code position}, the fastest way the server has. */
    void sendFile(FileChannel file, long position, long count) throws IOException {
        exchange.sendFile(file, position, count);
    }

    Exchange exchange() {
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
