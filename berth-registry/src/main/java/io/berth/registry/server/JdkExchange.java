package io.berth.registry.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** An {@link Exchange} of the JDK's HTTP(S) server: the registry's TLS mode. */
record JdkExchange(HttpExchange exchange) implements Exchange {
    private static final int COPY_BUFFER = 256 * 1024;

    @Override
    public String method() {
        return exchange.getRequestMethod();
    }

    @Override
    public String rawPath() {
        return exchange.getRequestURI().getRawPath();
    }

    @Override
    public String rawQuery() {
        return exchange.getRequestURI().getRawQuery();
    }

    @Override
    public String requestHeader(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public InetSocketAddress localAddress() {
        return exchange.getLocalAddress();
    }

    @Override
    public boolean secure() {
        return exchange instanceof HttpsExchange;
    }

    @Override
    public InputStream requestBody() {
        return exchange.getRequestBody();
    }

    @Override
    public void setResponseHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    /** The JDK's length argument means something else: 0 is "chunked", -1 is "no body". */
    @Override
    public void sendHead(int status, long length) throws IOException {
        if (method().equals("HEAD")) {
            if (status != 204 && status != 304) {
                setResponseHeader("Content-Length", Long.toString(length)); // the JDK leaves it out for HEAD
            }
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        }
    }

    @Override
    public int status() {
        return exchange.getResponseCode();
    }

    @Override
    public OutputStream responseBody() {
        return exchange.getResponseBody();
    }

    /** The JDK's response stream takes heap arrays: the bytes are copied through one. */
    @Override
    public void sendFile(FileChannel file, long position, long count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(COPY_BUFFER, Math.max(count, 1)));
        OutputStream out = responseBody();
        long left = count;
        long at = position;
        while (left > 0) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), left));
            int n = file.read(buffer, at);
            if (n < 0) {
                throw new IOException("file shorter than " + (position + count) + " bytes");
            }
            out.write(buffer.array(), 0, n);
            at += n;
            left -= n;
        }
        out.close();
    }

    @Override
    public void close() {
        exchange.close();
    }
}
