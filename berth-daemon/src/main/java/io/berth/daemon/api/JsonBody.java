package io.berth.daemon.api;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.HttpRequest;
import io.berth.oci.errors.InvalidArgumentException;

/**
 * The body of an endpoint that takes JSON. As in Docker, a request without a body may omit Content-Type;
 * any other request must say application/json (parameters such as charset allowed), or it is a 400.
 */
final class JsonBody {
    private JsonBody() {}

    /** The parsed body (a MissingNode when empty), after the Content-Type check. */
    static JsonNode read(HttpRequest rq, int limit) throws IOException {
        byte[] data = rq.bodyBytes(limit);
        requireJson(rq.header("Content-Type"), data.length > 0);
        return ApiJson.MAPPER.readTree(data);
    }

    static void requireJson(String contentType, boolean hasBody) {
        String ct = contentType == null ? "" : contentType.trim();
        if (ct.isEmpty() && !hasBody) return;
        int semicolon = ct.indexOf(';');
        String mediaType = (semicolon < 0 ? ct : ct.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new InvalidArgumentException("unsupported Content-Type header (" + ct + "): must be 'application/json'");
        }
    }
}
