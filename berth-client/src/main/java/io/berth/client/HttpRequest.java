package io.berth.client;

import java.util.Map;

/** One request: method, target (path plus query string, already encoded), extra headers and body. */
public record HttpRequest(String method, String target, Map<String, String> headers, RequestBody body) {

    public HttpRequest {
        headers = Map.copyOf(headers);
    }

    public static HttpRequest of(String method, String target) {
        return new HttpRequest(method, target, Map.of(), RequestBody.EMPTY);
    }

    public static HttpRequest of(String method, String target, RequestBody body) {
        return new HttpRequest(method, target, Map.of(), body);
    }
}
