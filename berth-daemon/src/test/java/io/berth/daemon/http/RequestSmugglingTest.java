package io.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.http.BoundedInputStream;
import io.berth.http.ChunkedInputStream;
import io.berth.http.ResponseHead;
import io.berth.registry.server.RegistryConfig;
import io.berth.registry.server.RegistryServer;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of raw requests, each with the statuses the server must answer before it closes the connection, run
 * against both of berth's HTTP servers: berthd's {@link ApiHttpServer} (on a temp Unix socket, with a router
 * that mirrors the two registry routes used) and the registry's plain-HTTP server (on loopback TCP). A smuggled
 * request hides behind a body whose framing two readers could disagree on; the table's rule, Go's, is that such a
 * request is refused and the connection closed, so the smuggled one is never answered.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestSmugglingTest {
    /** sha256("hello"): the registry accepts the monolithic upload of exactly that body. */
    private static final String HELLO = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    /** An upload of "hello": 201 when its body arrives whole, 400 otherwise. */
    private static final String POST = "POST /v2/t/blobs/uploads?digest=" + HELLO + " HTTP/1.1\r\nHost: h\r\n";
    /** The request a smuggler hides; answered (200) only when it really is a request of its own. */
    private static final String NEXT = "GET /v2 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";

    static Stream<Arguments> table() {
        return Stream.of(
                // framing both servers must take as the client meant it
                row("Content-Length", POST + "Content-Length: 5\r\n\r\nhello" + NEXT, 201, 200),
                row("chunked", POST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NEXT, 201, 200),
                row("chunked, case-insensitive", POST + "Transfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NEXT, 201, 200),
                row("chunk extensions and trailers", POST + "Transfer-Encoding: chunked\r\n\r\n2;x=y\r\nhe\r\n3\r\nllo\r\n0\r\nX-T: 1\r\n\r\n" + NEXT, 201, 200),
                row("equal Content-Lengths", POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello" + NEXT, 201, 200),
                row("a head ended by bare LFs", "GET /v2 HTTP/1.1\nHost: h\nConnection: close\n\n", 200),
                row("an empty line before the request", "\r\n" + NEXT, 200),
                row("an absolute-form target", "GET http://h/v2 HTTP/1.1\r\nConnection: close\r\n\r\n", 200),
                row("an unknown field is no framing", POST + "Transfer_Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NEXT, 400, 400),
                // Content-Length
                row("negative Content-Length", POST + "Content-Length: -5\r\n\r\nhello" + NEXT, 400),
                row("signed Content-Length", POST + "Content-Length: +5\r\n\r\nhello" + NEXT, 400),
                row("hex Content-Length", POST + "Content-Length: 0x5\r\n\r\nhello" + NEXT, 400),
                row("two numbers in one Content-Length", POST + "Content-Length: 5 5\r\n\r\nhello" + NEXT, 400),
                row("a list in one Content-Length", POST + "Content-Length: 5, 5\r\n\r\nhello" + NEXT, 400),
                row("differing Content-Lengths", POST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello" + NEXT, 400),
                row("overflowing Content-Length", POST + "Content-Length: 18446744073709551621\r\n\r\nhello" + NEXT, 400),
                // Transfer-Encoding
                row("CL.TE", POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + NEXT, 400),
                row("TE.CL", POST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + NEXT, 400),
                row("a coding before chunked", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NEXT, 501),
                row("chunked twice", POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NEXT, 501),
                row("a look-alike coding", POST + "Transfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NEXT, 501),
                row("identity", POST + "Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello" + NEXT, 501),
                row("chunked in HTTP/1.0", POST.replace("HTTP/1.1", "HTTP/1.0") + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NEXT, 400),
                row("whitespace before the colon", POST + "Transfer-Encoding : chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NEXT, 400),
                row("a tab before the colon", POST + "Content-Length\t: 5\r\n\r\nhello" + NEXT, 400),
                row("obs-fold", POST + "Transfer-Encoding:\r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NEXT, 400),
                row("a vertical tab in the coding", POST + "Transfer-Encoding: \u000bchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + NEXT, 400),
                // chunk framing: the body is refused whatever the handler makes of the failure
                row("a signed chunk size", POST + "Transfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n" + NEXT, 400),
                row("a 0x chunk size", POST + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n" + NEXT, 400),
                row("an overflowing chunk size", POST + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nhello\r\n0\r\n\r\n" + NEXT, 400),
                row("bare LFs in chunk framing", POST + "Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n" + NEXT, 400),
                row("chunk data longer than its size", POST + "Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n" + NEXT, 400),
                row("a chunk extension with a NUL", POST + "Transfer-Encoding: chunked\r\n\r\n5;\u0000\r\nhello\r\n0\r\n\r\n" + NEXT, 400),
                // heads
                row("NUL in a value", "GET /v2 HTTP/1.1\r\nX-A: a\u0000b\r\n\r\n" + NEXT, 400),
                row("CR in a value", "GET /v2 HTTP/1.1\r\nX-A: a\rb\r\n\r\n" + NEXT, 400),
                row("a field without colon", "GET /v2 HTTP/1.1\r\nX-A\r\n\r\n" + NEXT, 400),
                row("a non-token field name", "GET /v2 HTTP/1.1\r\nX[A]: 1\r\n\r\n" + NEXT, 400),
                row("two Host fields", "GET /v2 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + NEXT, 400),
                row("a request line with four parts", "GET /v2 HTTP/1.1 x\r\n\r\n" + NEXT, 400),
                row("a malformed version", "GET /v2 HTTP/1\r\n\r\n" + NEXT, 400),
                row("HTTP/2.0", "GET /v2 HTTP/2.0\r\n\r\n" + NEXT, 505),
                row("HTTP/1.2", "GET /v2 HTTP/1.2\r\n\r\n" + NEXT, 505),
                row("a head over 1 MiB", "GET /v2 HTTP/1.1\r\n" + ("X-Big: " + "a".repeat(60_000) + "\r\n").repeat(18) + "\r\n" + NEXT, 431));
    }

    private static Arguments row(String name, String raw, int... statuses) {
        return Arguments.of(name, raw, Arrays.stream(statuses).boxed().toList());
    }

    @TempDir
    static Path dir;
    private static ApiHttpServer daemon;
    private static RegistryServer registry;

    @BeforeAll
    static void start() throws IOException {
        Router router = new Router()
                .add("GET", "/v2", (rq, rs) -> rs.json(200, Map.of()))
                .add("POST", "/v2/t/blobs/uploads", (rq, rs) -> {
                    byte[] body = rq.body().readAllBytes();
                    rs.json(Arrays.equals(body, "hello".getBytes(StandardCharsets.US_ASCII)) ? 201 : 400, Map.of());
                });
        daemon = new ApiHttpServer(dir.resolve("api.sock"), router, new ErrorMapper());
        daemon.start();
        registry = RegistryServer.start(RegistryConfig.loopback(dir.resolve("registry")));
    }

    @AfterAll
    static void stop() throws IOException {
        daemon.close();
        registry.close();
    }

    @ParameterizedTest(name = "berthd: {0}")
    @MethodSource("table")
    void berthd(String name, String raw, List<Integer> statuses) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(dir.resolve("api.sock")));
        assertThat(exchange(channel, raw)).as(name).isEqualTo(statuses);
    }

    @ParameterizedTest(name = "registry: {0}")
    @MethodSource("table")
    void registry(String name, String raw, List<Integer> statuses) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", registry.port()));
        assertThat(exchange(channel, raw)).as(name).isEqualTo(statuses);
    }

    /** The server closed; a reset is a close with our unread bytes still in its buffer. */
    private static boolean closed(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    /** Sends every byte, then reads responses until the server closes: the statuses, in order. */
    private static List<Integer> exchange(SocketChannel channel, String raw) throws IOException {
        try (channel) {
            try {
                ByteBuffer bytes = ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1));
                while (bytes.hasRemaining()) channel.write(bytes);
                channel.shutdownOutput();
            } catch (IOException refusedWhileSending) {
                // the server answered and closed before reading everything: its answer is still to be read
            }
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            List<Integer> statuses = new ArrayList<>();
            while (true) {
                ResponseHead head;
                try {
                    head = ResponseHead.read(in);
                } catch (EOFException end) {
                    return statuses;
                } catch (IOException reset) {
                    if (reset.getMessage() != null && reset.getMessage().contains("reset")) return statuses;
                    throw reset;
                }
                statuses.add(head.status());
                (head.chunked() ? new ChunkedInputStream(in) : new BoundedInputStream(in, Math.max(0, head.contentLength())))
                        .transferTo(java.io.OutputStream.nullOutputStream());
                if (head.first("Connection").map("close"::equalsIgnoreCase).orElse(false)) {
                    assertThat(closed(in)).as("bytes after a Connection: close response").isTrue();
                    return statuses;
                }
            }
        }
    }
}
