package io.berth.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scripted Engine API peer on a real Unix socket: records each request, answers with what the script returns. */
public final class FakeEngine implements AutoCloseable {

    /** One request; {@code bytes} is the body as sent (de-chunked), {@code body} the same as UTF-8 text. */
    public record Request(String line, String head, String body, byte[] bytes) {
        public String header(String name) {
            for (String h : head.split("\n")) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).equalsIgnoreCase(name)) {
                    return h.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    public record Response(int status, String contentType, String body) {}

    public interface Script {
        Response answer(Request request);
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Path socket;

    public FakeEngine(Path dir, Script script) throws IOException {
        socket = dir.resolve("engine.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel ch = server.accept();
                    Thread.ofVirtual().start(() -> serve(ch, script));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    public String address() {
        return "unix://" + socket;
    }

    private void serve(SocketChannel ch, Script script) {
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            String first = line(in);
            StringBuilder head = new StringBuilder();
            String l;
            int length = 0;
            boolean chunked = false;
            while (!(l = line(in)).isEmpty()) {
                head.append(l).append('\n');
                String lower = l.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(l.substring("content-length:".length()).trim());
                }
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            byte[] bytes = chunked ? dechunk(in) : in.readNBytes(length);
            Request request = new Request(first, head.toString(), new String(bytes, StandardCharsets.UTF_8), bytes);
            Response response = first.startsWith("HEAD /_ping")
                    ? new Response(200, "text/plain", "")
                    : script.answer(request);
            if (!first.startsWith("HEAD")) {
                requests.add(request);
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            OutputStream out = Channels.newOutputStream(ch);
            out.write(("HTTP/1.1 " + response.status() + " X\r\nApi-Version: 1.43\r\nContent-Type: " + response.contentType()
                    + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int size;
        while ((size = Integer.parseInt(line(in).trim(), 16)) > 0) {
            body.write(in.readNBytes(size));
            line(in);
        }
        line(in);
        return body.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
