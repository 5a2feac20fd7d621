package io.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;

/** The server end to end on a real Unix socket, with raw HTTP written by hand. */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class ApiHttpServerTest {
    @TempDir
    Path dir;
    private Path socket;
    private ApiHttpServer server;

    // Held here so the level set below survives until the server's own static logger exists.
    private static final java.util.logging.Logger SERVER_LOG = java.util.logging.Logger.getLogger(ApiHttpServer.class.getName());

    @BeforeAll
    static void quietServerLog() {
        // The 500 and mid-stream failure tests make the server log stack traces on purpose.
        SERVER_LOG.setLevel(java.util.logging.Level.OFF);
    }

    @BeforeEach
    void start() throws IOException {
        socket = dir.resolve("run").resolve("api.sock");
        Router router = new Router()
                .add("GET", "/_ping", (rq, rs) -> rs.text(200, "OK"))
                .add("GET", "/echo/{word}", (rq, rs) -> rs.json(200, Map.of(
                        "word", rq.pathParam("word"), "version", rq.apiVersion(),
                        "path", rq.path(), "q", rq.queryParam("q", ""))))
                .add("GET", "/images/{name*}/json", (rq, rs) -> rs.json(200, Map.of("name", rq.pathParam("name"))))
                .add("POST", "/body", (rq, rs) -> rs.send(200, "application/octet-stream", rq.bodyBytes(1 << 20)))
                .add("POST", "/ignore", (rq, rs) -> rs.empty(204))
                .add("GET", "/error", (rq, rs) -> {
                    throw new OutOfMemoryError("simulated: a handler ran out of heap");
                })
                .add("POST", "/wrapped-body", (rq, rs) -> {
                    try {
                        rs.send(200, "application/octet-stream", rq.body().readAllBytes());
                    } catch (IOException e) {
                        throw new IllegalStateException("the handler's own wrapping", e);
                    }
                })
                .add("GET", "/stream", (rq, rs) -> {
                    try (OutputStream out = rs.stream(200, "text/plain")) {
                        out.write("one\n".getBytes(StandardCharsets.UTF_8));
                        out.write("two\n".getBytes(StandardCharsets.UTF_8));
                    }
                })
                .add("GET", "/fail-late", (rq, rs) -> {
                    OutputStream out = rs.stream(200, "text/plain");
                    out.write("partial".getBytes(StandardCharsets.UTF_8));
                    throw new IllegalStateException("broke mid-stream");
                })
                .add("GET", "/fail/{kind}", (rq, rs) -> {
                    throw switch (rq.pathParam("kind")) {
                        case "notfound" -> new NotFoundException("No such container: x");
                        case "conflict" -> new ConflictException("name already in use");
                        case "invalid" -> new InvalidArgumentException("bad value");
                        case "precondition" -> new FailedPreconditionException("container already started");
                        default -> new IllegalStateException("boom");
                    };
                })
                .add("POST", "/hijack", (rq, rs) -> {
                    RawHijack.echoOneLine(rs.hijack(rq.wantsUpgrade(), "application/vnd.docker.raw-stream"));
                });
        server = new ApiHttpServer(socket, router, new ErrorMapper());
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private RawHttpConnection connect() throws IOException {
        return RawHttpConnection.open(socket);
    }

    @Test
    void socketIsCreatedWithGroupPermissionsAndRemovedOnClose() throws IOException {
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
        server.close();
        assertThat(socket).doesNotExist();
    }

    @Test
    void answersWithDockerHeaders() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response r = c.exchange("GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.reason()).isEqualTo("OK");
            assertThat(r.text()).isEqualTo("OK");
            assertThat(r.header("Api-Version")).isEqualTo(ApiVersion.CURRENT);
            assertThat(r.header("Ostype")).isEqualTo("linux");
            assertThat(r.header("Server")).startsWith("berth/");
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            assertThat(r.header("Date")).isNotBlank();
        }
    }

    @Test
    void keepAliveServesTwoRequestsOnOneConnection() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response first = c.exchange("GET /v1.41/echo/one?q=x+y HTTP/1.1\r\nHost: d\r\n\r\n");
            RawHttpConnection.Response second = c.exchange("GET /echo/two HTTP/1.1\r\nHost: d\r\n\r\n");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.json().get("word").asText()).isEqualTo("one");
            assertThat(first.json().get("version").asText()).isEqualTo("1.41");
            assertThat(first.json().get("path").asText()).isEqualTo("/echo/one");
            assertThat(first.json().get("q").asText()).isEqualTo("x y");
            assertThat(second.json().get("word").asText()).isEqualTo("two");
            assertThat(second.json().get("version").asText()).isEqualTo(ApiVersion.CURRENT);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawHttpConnection c = connect()) {
            c.send("GET /echo/a HTTP/1.1\r\n\r\nGET /echo/b HTTP/1.1\r\n\r\n");
            assertThat(c.readResponse(false).json().get("word").asText()).isEqualTo("a");
            assertThat(c.readResponse(false).json().get("word").asText()).isEqualTo("b");
        }
    }

    @Test
    void connectionCloseHeaderEndsTheConnection() throws IOException {
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\nConnection: close\r\n\r\n").status()).isEqualTo(200);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void imageNameWithSlashesAndRegistryPort() throws IOException {
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("GET /v1.43/images/localhost:5000/a/b:1/json HTTP/1.1\r\n\r\n").json().get("name").asText())
                    .isEqualTo("localhost:5000/a/b:1");
            assertThat(c.exchange("GET /images/library%2Fbusybox%3Alatest/json HTTP/1.1\r\n\r\n").json().get("name").asText())
                    .isEqualTo("library/busybox:latest");
        }
    }

    @Test
    void contentLengthBodyIsReadExactly() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response r = c.exchange("POST /body HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(r.text()).isEqualTo("hello");
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void chunkedRequestBodyIsDecodedAndTheConnectionStaysUsable() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response r = c.exchange("POST /body HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello world");
            assertThat(c.exchange("GET /echo/after HTTP/1.1\r\n\r\n").json().get("word").asText()).isEqualTo("after");
        }
    }

    @Test
    void unreadBodyIsSkippedBeforeTheNextRequest() throws IOException {
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("POST /ignore HTTP/1.1\r\nContent-Length: 11\r\n\r\nGET /x HTTP").status()).isEqualTo(204);
            assertThat(c.exchange("POST /ignore HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").status())
                    .isEqualTo(204);
            assertThat(c.exchange("GET /echo/next HTTP/1.1\r\n\r\n").json().get("word").asText()).isEqualTo("next");
        }
    }

    @Test
    void headAnswersHeadersOnlyAndKeepsTheConnection() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response head = c.exchange("HEAD /_ping HTTP/1.1\r\n\r\n");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("2");
            // Had the server sent the body, it would be read here as the next status line.
            assertThat(c.exchange("GET /echo/x HTTP/1.1\r\n\r\n").json().get("word").asText()).isEqualTo("x");
        }
    }

    @Test
    void unknownPathIs404WithDockerMessage() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response r = c.exchange("GET /v1.43/nothing/here HTTP/1.1\r\n\r\n");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.json().get("message").asText()).isEqualTo("page not found");
        }
    }

    @Test
    void wrongMethodIs405() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response r = c.exchange("DELETE /_ping HTTP/1.1\r\n\r\n");
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.json().get("message").asText()).contains("DELETE").contains("/_ping");
        }
    }

    @Test
    void handlerExceptionsBecomeDockerStatuses() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response notFound = c.exchange("GET /fail/notfound HTTP/1.1\r\n\r\n");
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.json().get("message").asText()).isEqualTo("No such container: x");

            RawHttpConnection.Response conflict = c.exchange("GET /fail/conflict HTTP/1.1\r\n\r\n");
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.json().get("message").asText()).isEqualTo("name already in use");

            RawHttpConnection.Response invalid = c.exchange("GET /fail/invalid HTTP/1.1\r\n\r\n");
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.json().get("message").asText()).isEqualTo("bad value");

            RawHttpConnection.Response notModified = c.exchange("GET /fail/precondition HTTP/1.1\r\n\r\n");
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("Content-Length")).isEqualTo("0");

            RawHttpConnection.Response internal = c.exchange("GET /fail/other HTTP/1.1\r\n\r\n");
            assertThat(internal.status()).isEqualTo(500);
            assertThat(internal.json().get("message").asText()).isEqualTo("boom");

            // Error answers are fixed-length, so the connection is still good.
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void badPercentEscapeInThePathIs400() throws IOException {
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("GET /echo/%zz HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
        }
    }

    @Test
    void malformedRequestLineIs400AndTheServerKeepsServing() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response r = c.exchange("THIS IS NOT HTTP\r\n\r\n");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.json().get("message").asText()).startsWith("malformed HTTP request");
            assertThat(c.closedByPeer()).isTrue();
        }
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void unsupportedHttpVersionIs505() throws IOException {
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("GET /_ping HTTP/2.0\r\n\r\n").status()).isEqualTo(505);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void contentLengthWithASignIs400AndItsBodyIsNeverReadAsARequest() throws IOException {
        // Before: "-5" was read as no body, and "GET /echo/smuggled" became a second request.
        try (RawHttpConnection c = connect()) {
            c.send("POST /ignore HTTP/1.1\r\nContent-Length: -5\r\n\r\nGET /echo/smuggled HTTP/1.1\r\n\r\n");
            assertThat(c.readResponse(false).status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("POST /body HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello").status()).isEqualTo(400);
        }
    }

    @Test
    void headerWithoutColonIs400() throws IOException {
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\nno colon here\r\n\r\n").status()).isEqualTo(400);
        }
    }

    @Test
    void badContentLengthIs400() throws IOException {
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("POST /body HTTP/1.1\r\nContent-Length: ten\r\n\r\n").status()).isEqualTo(400);
        }
    }

    @Test
    void aHeadOverOneMebibyteIs431AndTheServerKeepsServing() throws IOException {
        // Each line is well under 64 KB and there are few of them: only the head's total is over Go's bound.
        String big = ("X-Big: " + "a".repeat(60 * 1024) + "\r\n").repeat(18);
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response r = c.exchange("GET /_ping HTTP/1.1\r\n" + big + "\r\n");
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.reason()).isEqualTo("Request Header Fields Too Large");
            assertThat(r.json().get("message").asText()).contains("request head larger than 1048576 bytes");
        }
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void tooManyHeadersIs431() throws IOException {
        try (RawHttpConnection c = connect()) {
            String headers = "X-H: v\r\n".repeat(300);
            RawHttpConnection.Response r = c.exchange("GET /_ping HTTP/1.1\r\n" + headers + "\r\n");
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.json().get("message").asText()).contains("more than 256 header fields");
        }
    }

    @Test
    void anErrorInAHandlerIsLoggedAnsweredAndTheServerKeepsServing() throws IOException {
        java.util.List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord record) { logged.add(record); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        SERVER_LOG.setLevel(java.util.logging.Level.ALL);
        SERVER_LOG.addHandler(capture);
        SERVER_LOG.setUseParentHandlers(false);
        try {
            try (RawHttpConnection c = connect()) {
                RawHttpConnection.Response r = c.exchange("GET /error HTTP/1.1\r\n\r\n");
                assertThat(r.status()).isEqualTo(500);
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(c.closedByPeer()).isTrue();
            }
            try (RawHttpConnection c = connect()) {
                assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
            }
            assertThat(logged).anySatisfy(record -> {
                assertThat(record.getLevel()).isEqualTo(java.util.logging.Level.SEVERE);
                assertThat(record.getThrown()).isInstanceOf(OutOfMemoryError.class);
            });
        } finally {
            SERVER_LOG.removeHandler(capture);
            SERVER_LOG.setUseParentHandlers(true);
            SERVER_LOG.setLevel(java.util.logging.Level.OFF);
        }
    }

    @Test
    void aBrokenChunkedBodyIs400EvenWhenTheHandlerWrapsTheFailure() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response r = c.exchange("POST /wrapped-body HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhelloXX0\r\n\r\n");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("message").asText()).contains("CRLF");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void clientClosingWithoutARequestIsHarmless() throws IOException {
        connect().close();
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void leadingEmptyLinesBeforeARequestAreSkipped() throws IOException {
        try (RawHttpConnection c = connect()) {
            assertThat(c.exchange("\r\n\r\nGET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void streamedResponseIsChunkedAndTheConnectionIsReusable() throws IOException {
        try (RawHttpConnection c = connect()) {
            c.send("GET /stream HTTP/1.1\r\n\r\n");
            // Check the wire format itself: one chunk per write, then the terminating chunk.
            assertThat(c.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            boolean chunked = false;
            while (!(line = c.readLine()).isEmpty()) {
                if (line.equalsIgnoreCase("Transfer-Encoding: chunked")) chunked = true;
                assertThat(line).doesNotStartWithIgnoringCase("Content-Length");
            }
            assertThat(chunked).isTrue();
            assertThat(c.readLine()).isEqualTo("4");
            assertThat(c.readLine()).isEqualTo("one");
            assertThat(c.readLine()).isEqualTo("");
            assertThat(c.readLine()).isEqualTo("4");
            assertThat(c.readLine()).isEqualTo("two");
            assertThat(c.readLine()).isEqualTo("");
            assertThat(c.readLine()).isEqualTo("0");
            assertThat(c.readLine()).isEqualTo("");
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void headOnAStreamingRouteSendsNoBody() throws IOException {
        try (RawHttpConnection c = connect()) {
            RawHttpConnection.Response r = c.exchange("HEAD /stream HTTP/1.1\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Length")).isEqualTo("0");
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void failureAfterTheResponseStartedAbortsTheConnection() throws IOException {
        try (RawHttpConnection c = connect()) {
            c.send("GET /fail-late HTTP/1.1\r\n\r\n");
            // The status line was already sent: the only honest signal left is cutting the connection
            // before the terminating chunk.
            assertThatThrownBy(() -> c.readResponse(false)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void hijackWithUpgradeAnswers101ThenCarriesRawBytesBothWays() throws IOException {
        try (RawHttpConnection c = connect()) {
            c.send("POST /v1.43/hijack HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
            RawHttpConnection.Response r = c.readResponse(false);
            assertThat(r.status()).isEqualTo(101);
            assertThat(r.reason()).isEqualTo("UPGRADED");
            assertThat(r.header("Connection")).isEqualTo("Upgrade");
            assertThat(r.header("Upgrade")).isEqualTo("tcp");
            assertThat(r.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");

            c.send("ping\n");
            assertThat(c.readLine()).isEqualTo("echo:ping");
            // The handler returned: a hijacked connection is never reused.
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void hijackWithoutUpgradeAnswers200() throws IOException {
        try (RawHttpConnection c = connect()) {
            c.send("POST /hijack HTTP/1.1\r\nHost: d\r\n\r\n");
            assertThat(c.readLine()).isEqualTo("HTTP/1.1 200 OK");
            while (!c.readLine().isEmpty()) { /* headers */ }
            c.send("raw bytes\n");
            assertThat(c.readLine()).isEqualTo("echo:raw bytes");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void bytesSentRightAfterTheRequestReachTheHijackedStream() throws IOException {
        // Clients may write stdin before reading the 101: the server's read buffer must hand those bytes on.
        try (RawHttpConnection c = connect()) {
            c.send("POST /hijack HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nearly\n");
            assertThat(c.readResponse(false).status()).isEqualTo(101);
            assertThat(c.readLine()).isEqualTo("echo:early");
        }
    }

    @Test
    void servesConcurrentConnections() throws Exception {
        try (RawHttpConnection a = connect(); RawHttpConnection b = connect()) {
            // a holds a hijacked connection open while b is served.
            a.send("POST /hijack HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
            assertThat(a.readResponse(false).status()).isEqualTo(101);
            assertThat(b.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
            a.send("done\n");
            assertThat(a.readLine()).isEqualTo("echo:done");
        }
    }

    /** The hijack handler's work: read one line from the client, answer it, return. */
    private static final class RawHijack {
        static void echoOneLine(HttpResponse.Hijacked h) throws IOException {
            InputStream in = h.in();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') line.append((char) b);
            h.out().write(("echo:" + line + "\n").getBytes(StandardCharsets.UTF_8));
            h.out().flush();
        }
    }
}
