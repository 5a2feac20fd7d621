package io.berth.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A response whose body is already de-framed (chunked or Content-Length); closing it closes the connection. */
public final class HttpResponse implements Closeable {

    private final HttpHead head;
    private final InputStream body;
    private final Connection connection;

    HttpResponse(HttpHead head, InputStream body, Connection connection) {
        this.head = head;
        this.body = body;
        this.connection = connection;
    }

    public int status() {
        return head.status();
    }

    public String header(String name) {
        return head.header(name);
    }

    public HttpHead head() {
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
