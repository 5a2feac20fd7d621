package io.berth.daemon.http;

import io.berth.http.RequestHead;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * One parsed HTTP/1.1 request. {@code path} has the API version prefix removed; {@code pathParams} are
 * filled by the router. The body stream is already de-chunked and ends where the request ends; closing it
 * leaves the connection open.
 */
public record HttpRequest(String method, String path, Map<String, List<String>> query,
                          RequestHead head, InputStream body, Map<String, String> pathParams,
                          String apiVersion) {

    public HttpRequest withPathParams(Map<String, String> params) {
        return new HttpRequest(method, path, query, head, body, params, apiVersion);
    }

    /** The first value of a request header (names compare case-insensitively), or null. */
    public String header(String name) {
        return head.first(name).orElse(null);
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /**
     * The first value of a query parameter, or null: dockerd reads its parameters with Go's FormValue, which takes
     * the first of repeated ones (a docker CLI build sends {@code dockerfile=} twice and means the first).
     */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    public String queryParam(String name, String fallback) {
        String v = queryParam(name);
        return v == null ? fallback : v;
    }

    /** Docker's boolean query parameters: "1", "true", "True" are true; absent, "0", "false" are false. */
    public boolean queryFlag(String name) {
        String v = queryParam(name);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    public Integer queryInt(String name) {
        String v = queryParam(name);
        if (v == null || v.isEmpty()) return null;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new io.berth.oci.errors.InvalidArgumentException("invalid value for " + name + ": " + v);
        }
    }

    public byte[] bodyBytes(int limit) throws IOException {
        byte[] data = body.readNBytes(limit + 1);
        if (data.length > limit) {
            throw new io.berth.oci.errors.InvalidArgumentException("request body larger than " + limit + " bytes");
        }
        return data;
    }

    /** Whether a Connection field lists the {@code upgrade} option (attach and exec ask to switch to raw TCP). */
    public boolean wantsUpgrade() {
        return head.fields().getOrDefault("Connection", List.of()).stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(","))).anyMatch(t -> t.trim().equalsIgnoreCase("upgrade"));
    }
}
