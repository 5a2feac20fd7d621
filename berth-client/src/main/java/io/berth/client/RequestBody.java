package io.berth.client;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** What a request carries: nothing, a byte array sent with Content-Length, or a stream sent chunked. */
public sealed interface RequestBody {

    record Empty() implements RequestBody {}

    record Bytes(byte[] data, String contentType) implements RequestBody {}

    record Streamed(InputStream data, String contentType) implements RequestBody {}

    RequestBody EMPTY = new Empty();

    static RequestBody json(String json) {
        return new Bytes(json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    static RequestBody tar(InputStream data) {
        return new Streamed(data, "application/x-tar");
    }
}
