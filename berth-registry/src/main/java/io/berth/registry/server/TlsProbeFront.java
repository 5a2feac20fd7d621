package io.berth.registry.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/**
 * The public socket of a plain-HTTP registry, in front of the JDK HTTP server (which listens on a private
 * loopback port). Docker, skopeo and podman try HTTPS first even for an insecure registry and fall back to HTTP
 * only when the TLS handshake fails; the JDK server would wait for a request line that a TLS ClientHello never
 * completes, costing every client a 10 s handshake timeout. So the first byte of each connection is looked at:
 * a TLS handshake record (0x16) is answered at once with a plain 400, as Go's server does, and anything else is
 * relayed both ways, with half-closes passed on so a client that stops sending is seen as such.
 */
final class TlsProbeFront implements AutoCloseable {
    private static final int TLS_HANDSHAKE = 0x16;
    private static final byte[] NOT_TLS = ("HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\n"
            + "Connection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final InetSocketAddress backend;
    private final ExecutorService executor;

    TlsProbeFront(InetSocketAddress address, InetSocketAddress backend, ExecutorService executor) throws IOException {
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(address, 128);
        this.backend = backend;
        this.executor = executor;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    void start() {
        Thread.ofVirtual().name("registry-accept").start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    executor.execute(() -> serve(client));
                } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                    if (listener.isClosed()) {
                        return;
                    }
                }
            }
        });
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            InputStream in = client.getInputStream();
            int first = in.read();
            if (first < 0) {
                return;
            }
            if (first == TLS_HANDSHAKE) {
                client.getOutputStream().write(NOT_TLS);
                return;
            }
            try (Socket server = new Socket()) {
                server.setTcpNoDelay(true);
                server.connect(backend);
                server.getOutputStream().write(first);
                Thread upstream = Thread.ofVirtual().start(() -> pump(in, client, server));
                pump(server.getInputStream(), server, client);
                upstream.join();
            }
        } catch (IOException | InterruptedException ignored) {
            // the client or the server went away: nothing to tell anyone
        }
    }

    /** Copies until EOF, then half-closes the destination; on an error closes both sides. */
    private static void pump(InputStream in, Socket from, Socket to) {
        byte[] buf = new byte[128 * 1024];
        try {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
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
