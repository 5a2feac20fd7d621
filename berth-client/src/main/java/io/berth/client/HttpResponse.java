package io.berth.client;

import io.berth.http.ResponseHead;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A response whose body is already de-framed (chunked or Content-Length); closing it closes the connection. */
public final class HttpResponse implements Closeable {

    private final ResponseHead head;
    private final InputStream body;
    private final Connection connection;

    HttpResponse(ResponseHead head, InputStream body, Connection connection) {
        this.head = head;
        this.body = body;
        this.connection = connection;
    }

    public int status() {
        return head.status();
    }

    public String header(String name) {
        List<String> values = head.all(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }

    public ResponseHead head() {
        return head;
    }

    public InputStream body() {
        return body;
    }

    public byte[] bodyBytes() {
        try (this) {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bodyString() {
        return new String(bodyBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
