package io.berth.registry.server;

import io.berth.http.ConnectionAcceptor;
import io.berth.http.HeadTimer;
import io.berth.http.HttpFramingException;
import io.berth.http.ReasonPhrases;
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
import java.util.function.Consumer;
import java.util.logging.Logger;

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
 * Limits, shared with berthd through berth-http: a head is read by {@link RequestHead} (Go's rules and 1 MiB bound;
 * a refused head gets its status and a close) under a {@link HeadTimer} deadline; at most {@code maxConnections}
 * are served at once, more wait in the listen backlog ({@link ConnectionAcceptor}); a client silent for the read
 * timeout, between requests or inside a body, loses its connection.
 */
final class PlainHttpServer implements AutoCloseable {
    private static final int TLS_HANDSHAKE = 0x16;
    private static final byte[] NOT_TLS = ("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\n"
            + "Connection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n").getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(PlainHttpServer.class.getName());

    /** The read timeout (any read), the head deadline, and how many connections are served at once. */
    record Limits(Duration readTimeout, Duration headTimeout, int maxConnections) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(30), 512);
    }

    private final ServerSocketChannel listener;
    private final Limits limits;
    private final Consumer<Exchange> handler;
    private final HeadTimer heads;
    private final ConnectionAcceptor acceptor;

    PlainHttpServer(InetSocketAddress address, Limits limits, ExecutorService executor,
                    Consumer<Exchange> handler) throws IOException {
        this.listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(address, ConnectionAcceptor.BACKLOG);
        this.limits = limits;
        this.handler = handler;
        this.heads = new HeadTimer("registry-head-deadlines", limits.headTimeout());
        this.acceptor = new ConnectionAcceptor("registry-accept", listener, limits.maxConnections(), executor,
                this::serve, LOG);
    }

    InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("registry listener is closed", e);
        }
    }

    void start() {
        acceptor.start(Thread.ofVirtual());
    }

    /** Connections being served now; for tests of the cap. */
    int openConnections() {
        return acceptor.openConnections();
    }

    private void serve(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        // The socket adaptor's stream is the channel's one read path that honours a timeout.
        channel.socket().setSoTimeout(Math.toIntExact(limits.readTimeout().toMillis()));
        InputStream in = new BufferedInputStream(channel.socket().getInputStream(), BUFFER);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
        HeadTimer.Deadline deadline = heads.start(channel);
        in.mark(1);
        int first = in.read();
        if (first == TLS_HANDSHAKE) {
            deadline.cancel();
            out.write(NOT_TLS);
            out.flush();
            return;
        }
        in.reset();
        SocketExchange exchange;
        do {
            RequestHead head;
            try {
                head = heads.read(in, deadline);
                exchange = new SocketExchange(channel, head, in, out);
            } catch (EOFException | InterruptedIOException e) {
                return; // the client closed, went quiet, or sent its head too slowly
            } catch (HttpFramingException e) {
                refuse(out, e.status(), e.getMessage());
                return;
            }
            handler.accept(exchange);
            exchange.close();
            if (!exchange.reusable()) {
                return;
            }
            HeadTimer.awaitNextRequest(in);
            deadline = heads.start(channel);
        } while (true);
    }

    private static void refuse(OutputStream out, int status, String why) throws IOException {
        byte[] body = ("malformed HTTP request: " + why + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + ReasonPhrases.of(status) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() {
        acceptor.close();
        heads.close();
    }
}
