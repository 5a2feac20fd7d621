package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * GET /containers/{id}/attach/ws through the JDK's own WebSocket client (java.net.http), on berthd's loopback TCP
 * listener: output arrives as binary frames without Docker's stream headers, client frames reach the container's
 * stdin, logs=1 replays, and both sides' closes end the attach cleanly. Before it, the endpoint was a 404.
 */
@Tag("privileged")
class WebSocketAttachTest {
    static BerthdProcess daemon;
    static int port;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void up() throws Exception {
        StaleTestState.clearOnce();
        Path root = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-wsattach-");
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        daemon = new BerthdProcess(root).withArgs("-H", "tcp://127.0.0.1:" + port).start();
        daemon.cli("image", "make-busybox", "busybox:latest").orFail();
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    /** What a client saw: every byte of output, whether any came as text, the close the server sent. */
    static final class Client implements WebSocket.Listener {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final CompletableFuture<String> pong = new CompletableFuture<>();
        volatile boolean textFrames;
        WebSocket ws;

        static Client open(String containerAndQuery) throws Exception {
            Client c = new Client();
            c.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1.43/containers/" + containerAndQuery), c)
                    .get(20, TimeUnit.SECONDS);
            return c;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            synchronized (received) {
                received.writeBytes(b);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            textFrames = true;
            synchronized (received) {
                received.writeBytes(data.toString().getBytes(StandardCharsets.UTF_8));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            pong.complete(StandardCharsets.UTF_8.decode(message).toString());
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        String text() {
            synchronized (received) {
                return received.toString(StandardCharsets.UTF_8);
            }
        }

        void awaitText(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!text().equals(expected) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(text()).isEqualTo(expected);
        }
    }

    @Test
    void stdinReachesTheContainerItsOutputComesBackAndTheClientsCloseEndsTheAttach() throws Exception {
        // created with -i alone (StdinOnce, as `docker create -i` sends it): the attach's end closes cat's stdin
        daemon.docker("create", "-i", "--name", "ws-cat", "busybox", "cat").orFail();
        daemon.docker("start", "ws-cat").orFail();
        Client c = Client.open("ws-cat/attach/ws?stream=1&stdin=1&stdout=1&stderr=1");
        c.ws.sendText("hello over a websocket\n", true).get(10, TimeUnit.SECONDS);
        c.ws.sendBinary(ByteBuffer.wrap("and in binary\n".getBytes(StandardCharsets.UTF_8)), true).get(10, TimeUnit.SECONDS);
        c.awaitText("hello over a websocket\nand in binary\n");
        assertThat(c.textFrames).as("API 1.43 output comes in binary frames").isFalse();
        c.ws.sendPing(ByteBuffer.wrap("ping?".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        assertThat(c.pong.get(10, TimeUnit.SECONDS)).isEqualTo("ping?");
        long start = System.nanoTime();
        c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).as("the close is answered").isEqualTo(1000);
        System.out.printf("close answered in %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        // the end of the client's input reached cat, as at the end of a hijacked attach's input
        assertThat(daemon.docker("wait", "ws-cat").orFail().out()).isEqualTo("0");
        assertThat(daemon.docker("logs", "ws-cat").orFail().out()).isEqualTo("hello over a websocket\nand in binary");
    }

    /** The replay keeps the log's order across stdout and stderr (it came out as each stream's pump ran). */
    @Test
    void logsReplayThenLiveOutputAndTheServerClosesWhenTheContainerEnds() throws Exception {
        daemon.docker("run", "-d", "-i", "--name", "ws-logs", "busybox", "sh", "-c",
                // apart in time: conmon reads stdout's and stderr's pipes in its own order, so lines written at once
                // may be logged in either order; the replay must keep the log's
                "echo before; sleep 0.1; echo to-stderr >&2; sleep 0.1; echo o2; sleep 0.1; echo e2 >&2; sleep 0.1; "
                        + "echo o3; sleep 0.1; echo last >&2; read x; echo got $x").orFail();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!daemon.docker("logs", "ws-logs").stderr().contains("last") && System.nanoTime() < deadline) Thread.sleep(50);
        Client c = Client.open("ws-logs/attach/ws?logs=1&stream=1&stdin=1&stdout=1&stderr=1");
        String logged = "before\nto-stderr\no2\ne2\no3\nlast\n";
        c.awaitText(logged);
        c.ws.sendText("it\n", true).get(10, TimeUnit.SECONDS);
        c.awaitText(logged + "got it\n");
        assertThat(c.closed.get(20, TimeUnit.SECONDS)).as("berthd closes when the output ends").isEqualTo(1000);
    }

    @Test
    void withoutStreamOnlyTheChosenLogsAreSentAndThenTheClose() throws Exception {
        daemon.docker("run", "--name", "ws-done", "busybox", "sh", "-c", "echo out; echo err >&2").orFail();
        Client both = Client.open("ws-done/attach/ws?logs=1&stdout=1&stderr=1");
        assertThat(both.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(both.text()).isEqualTo("out\nerr\n");
        Client errOnly = Client.open("ws-done/attach/ws?logs=1&stdout=0&stderr=1");
        assertThat(errOnly.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(errOnly.text()).isEqualTo("err\n");
        // before API 1.28 dockerd sent text frames, and before 1.42 every stream whatever the query said
        Client old = new Client();
        old.ws = HTTP.newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + port + "/v1.25/containers/ws-done/attach/ws?logs=1"), old).get(20, TimeUnit.SECONDS);
        assertThat(old.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(old.text()).isEqualTo("out\nerr\n");
        assertThat(old.textFrames).isTrue();
    }

    @Test
    void onATerminalTheDetachKeysEndTheAttachAndTheContainerRunsOn() throws Exception {
        daemon.docker("run", "-d", "-i", "-t", "--name", "ws-tty", "busybox", "sh").orFail();
        Client c = Client.open("ws-tty/attach/ws?stream=1&stdin=1&stdout=1&stderr=1&detachKeys=ctrl-x");
        c.ws.sendText("echo $((6 * 7))\n", true).get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.text().contains("42") && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(c.text()).contains("42");
        c.ws.sendBinary(ByteBuffer.wrap(new byte[] {24}), true).get(10, TimeUnit.SECONDS);
        assertThat(c.closed.get(20, TimeUnit.SECONDS)).as("detaching ends the attach").isEqualTo(1000);
        assertThat(daemon.docker("inspect", "-f", "{{.State.Running}}", "ws-tty").orFail().out()).isEqualTo("true");
    }

    @Test
    void aRequestThatIsNoWebSocketUpgradeIsRefusedWithA400() throws Exception {
        daemon.docker("create", "--name", "ws-plain", "busybox", "true").orFail();
        Cmd.Result plain = daemon.curl("http://berthd/v1.43/containers/ws-plain/attach/ws?stream=1&stdout=1");
        assertThat(plain.stdout()).endsWith("\n400").contains("is a WebSocket endpoint: not a WebSocket upgrade");
        Cmd.Result version = daemon.curl("-i", "-H", "Upgrade: websocket", "-H", "Connection: Upgrade",
                "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "-H", "Sec-WebSocket-Version: 8",
                "http://berthd/v1.43/containers/ws-plain/attach/ws?stream=1&stdout=1");
        assertThat(version.stdout()).endsWith("\n400").contains("Sec-WebSocket-Version: 13").contains("version '8'");
        Cmd.Result missing = daemon.curl("http://berthd/v1.43/containers/no-such/attach/ws?stream=1&stdout=1");
        assertThat(missing.stdout()).endsWith("\n404");
    }

    /** docker-py's {@code attach_socket(..., ws=True)}, which uses python3-websocket (websocket-client), over TCP. */
    @Test
    void dockerPysWebSocketAttachWorks() throws Exception {
        String script = """
                import docker
                client = docker.DockerClient(base_url="tcp://127.0.0.1:%d")
                ctr = client.containers.create("busybox", "cat", stdin_open=True, name="ws-py")  # StdinOnce
                ctr.start()
                ws = client.api.attach_socket(ctr.id, params={"stdin": 1, "stdout": 1, "stream": 1}, ws=True)
                ws.send("from docker-py\\n")
                got = ws.recv()
                print(type(got).__name__, got.decode() if isinstance(got, bytes) else got, end="")
                ws.close()
                print(ctr.wait(timeout=20)["StatusCode"])
                """.formatted(port);
        Cmd.Result r = Cmd.run(java.util.List.of("/usr/bin/python3", "-W", "ignore", "-c", script), java.util.Map.of(),
                null, Duration.ofSeconds(60));
        assertThat(r.orFail().stdout()).isEqualTo("bytes from docker-py\n0\n");
    }

    /**
     * A client that breaks the protocol (an unmasked frame that announces 2^62 bytes) gets close 1002 and the end of
     * the connection at once: nothing the frame announced is allocated or waited for, and the container runs on.
     */
    @Test
    void aClientThatBreaksTheProtocolIsClosedWith1002() throws Exception {
        daemon.docker("run", "-d", "-i", "-t", "--name", "ws-hostile", "busybox", "sh").orFail();
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            var out = s.getOutputStream();
            out.write(("GET /v1.43/containers/ws-hostile/attach/ws?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: berthd\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
            assertThat(head.toString()).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                    .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
            out.write(new byte[] {(byte) 0x82, 127, 0x40, 0, 0, 0, 0, 0, 0, 0});
            out.flush();
            byte[] rest = in.readAllBytes(); // up to the connection's end: berthd closes it
            int at = 0;
            while ((rest[at] & 0xFF) == 0x82 && (rest[at + 1] & 0xFF) < 126) at += 2 + rest[at + 1]; // output, if any
            assertThat(rest[at] & 0xFF).as("a close frame").isEqualTo(0x88);
            assertThat((rest[at + 2] & 0xFF) << 8 | rest[at + 3] & 0xFF).isEqualTo(1002);
            assertThat(new String(rest, at + 4, rest[at + 1] - 2, StandardCharsets.UTF_8)).contains("must be masked");
        }
        assertThat(daemon.docker("inspect", "-f", "{{.State.Running}}", "ws-hostile").orFail().out()).isEqualTo("true");
    }

    private static void awaitLogs(String container, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!daemon.docker("logs", container).out().equals(expected) && System.nanoTime() < deadline) Thread.sleep(50);
    }
}
