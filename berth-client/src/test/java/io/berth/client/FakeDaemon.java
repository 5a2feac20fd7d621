package io.berth.client;

import io.berth.http.ChunkedInputStream;
import io.berth.http.HttpLines;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted HTTP peer on a real Unix socket: each connection's request head and body are
 * recorded, then the handler writes raw response bytes. It tests the transport, not a daemon.
 */
final class FakeDaemon implements AutoCloseable {

    record Request(String requestLine, String head, byte[] body) {}

    interface Handler {
        void handle(Request request, InputStream in, OutputStream out) throws IOException;
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Path socket;

    FakeDaemon(Path dir, Handler handler) throws IOException {
        socket = dir.resolve("fake.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel ch = server.accept();
                    Thread.ofVirtual().start(() -> serve(ch, handler));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    DockerHost host() {
        return new DockerHost.Unix(socket);
    }

    private void serve(SocketChannel ch, Handler handler) {
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            StringBuilder head = new StringBuilder();
            String line;
            String first = HttpLines.readLine(in);
            while (!(line = HttpLines.readLine(in)).isEmpty()) {
                head.append(line).append('\n');
            }
            String h = head.toString().toLowerCase();
            byte[] body = new byte[0];
            if (h.contains("transfer-encoding: chunked")) {
                body = new ChunkedInputStream(in).readAllBytes();
            } else if (h.contains("content-length:")) {
                int at = h.indexOf("content-length:") + "content-length:".length();
                int len = Integer.parseInt(h.substring(at, h.indexOf('\n', at)).trim());
                body = in.readNBytes(len);
            }
            Request r = new Request(first, head.toString(), body);
            requests.add(r);
            handler.handle(r, in, Channels.newOutputStream(ch));
        } catch (IOException ignored) {
            // the client went away
        }
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
