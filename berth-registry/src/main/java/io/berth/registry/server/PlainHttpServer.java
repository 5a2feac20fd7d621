package io.berth.registry.server;

import io.berth.http.RequestHead;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The plain-HTTP registry server: HTTP/1.1 on one socket channel per connection, one virtual thread each, with
 * keep-alive. Ours rather than the JDK's for two reasons, both measured on a 200 MB blob GET: a blob goes from
 * the file to the socket through one direct buffer ({@link SocketExchange#sendFile}), where the JDK's server
 * takes heap arrays; and a TLS probe is refused without a relay in front, where the JDK's server would wait for
 * a request line that a TLS ClientHello never completes.
 * <p>
 * That probe: docker, skopeo and podman try HTTPS first even for an insecure registry and fall back to HTTP
 * only when the handshake fails. A connection whose first byte is a TLS handshake record (0x16) gets Go's
 * plain 400 at once, so clients fall back without waiting for a timeout.
 * <p>
 * Limits: request heads are bounded by line length and field count ({@link RequestHead}), a client silent for
 * the read timeout loses its connection, and a malformed head gets a 400 and a close.
 */
final class PlainHttpServer implements AutoCloseable {
    private static final int TLS_HANDSHAKE = 0x16;
    private static final byte[] NOT_TLS = ("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\n"
            + "Connection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n").getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER = 64 * 1024;

    private final ServerSocketChannel listener;
    private final Duration readTimeout;
    private final ExecutorService executor;
    private final Consumer<Exchange> handler;

    PlainHttpServer(InetSocketAddress address, Duration readTimeout, ExecutorService executor,
                    Consumer<Exchange> handler) throws IOException {
        this.listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(address, 128);
        this.readTimeout = readTimeout;
        this.executor = executor;
        this.handler = handler;
    }

    InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("registry listener is closed", e);
        }
    }

    void start() {
        Thread.ofVirtual().name("registry-accept").start(() -> {
            while (listener.isOpen()) {
                try {
                    SocketChannel client = listener.accept();
                    executor.execute(() -> serve(client));
                } catch (IOException | RejectedExecutionException e) {
                    if (!listener.isOpen()) {
                        return;
                    }
                }
            }
        });
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            // The socket adaptor's stream is the channel's one read path that honours a timeout.
            channel.socket().setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            InputStream in = new BufferedInputStream(channel.socket().getInputStream(), BUFFER);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
            in.mark(1);
            int first = in.read();
            if (first == TLS_HANDSHAKE) {
                out.write(NOT_TLS);
                out.flush();
                return;
            }
            in.reset();
            SocketExchange exchange;
            do {
                RequestHead head;
                try {
                    head = RequestHead.read(in);
                    exchange = new SocketExchange(channel, head, in, out);
                } catch (EOFException | InterruptedIOException e) {
                    return; // the client closed or went quiet between requests
                } catch (IOException e) {
                    refuse(out, e.getMessage());
                    return;
                }
                handler.accept(exchange);
                exchange.close();
            } while (exchange.reusable());
        } catch (IOException ignored) {
            // the client went away: nothing to tell anyone
        }
    }

    private static void refuse(OutputStream out, String why) throws IOException {
        byte[] body = ("malformed HTTP request: " + why + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing a listener cannot fail in a way that matters
        }
    }
}
