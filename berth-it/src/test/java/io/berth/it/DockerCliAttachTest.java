package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attach as Docker answers it, through the docker CLI, the berth CLI and the raw API: every byte of a large
 * stdin, attaches that ask for stdin only or for logs only, and detach keys.
 */
@Tag("privileged")
class DockerCliAttachTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("attach");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    /** Before: 32,768 bytes arrived of anything larger (conmon cut one big message), and 1 MB hung. */
    @Test
    void runDashIDeliversEveryByteOfALargeStdin(@TempDir Path dir) throws Exception {
        for (int size : new int[] {1024 * 1024, 100 * 1024 * 1024}) {
            Path input = randomFile(dir.resolve("in-" + size), size);
            String expected = sha256(input) + "  -";
            Cmd.Result docker = daemon.dockerWithInput(input, "run", "-i", "--rm", "busybox", "sha256sum");
            assertThat(docker.orFail().out()).as("docker CLI, %d bytes", size).isEqualTo(expected);
            Cmd.Result berth = daemon.cliWithInput(input, "run", "-i", "--rm", "busybox", "sha256sum");
            assertThat(berth.orFail().out()).as("berth CLI, %d bytes", size).isEqualTo(expected);
        }
    }

    /** Before: the attach ended as soon as it was answered, and what the client sent next went nowhere. */
    @Test
    void anAttachForStdinAloneStaysOpenUntilTheClientEndsItsInput() throws Exception {
        daemon.docker("create", "-i", "--name", "stdin-only", "busybox", "sh", "-c", "cat; echo end").orFail();
        daemon.docker("start", "stdin-only").orFail();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket))) {
            String head = hijack(ch, "/v1.43/containers/stdin-only/attach?stream=1&stdin=1");
            assertThat(head).startsWith("HTTP/1.1 101");
            CompletableFuture<Integer> closed = CompletableFuture.supplyAsync(() -> readUntilClosed(ch), r -> Thread.ofVirtual().start(r));
            // nothing to print and no input ended: the attach stays
            assertThatThrownBy(() -> closed.get(1500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            ch.write(ByteBuffer.wrap("hello through stdin\n".getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            // the end of input reaches the container (cat ends), and the attach ends
            closed.get(30, TimeUnit.SECONDS);
        }
        assertThat(daemon.docker("wait", "stdin-only").orFail().out()).isEqualTo("0");
        assertThat(daemon.docker("logs", "stdin-only").orFail().stdout()).isEqualTo("hello through stdin\nend\n");
        daemon.docker("rm", "stdin-only").orFail();
    }

    /**
     * The end of a stdin-only attach reaches the container while it prints. Before: when the container printed
     * between the attach's end and conmon reading it, conmon's write to the closed attach failed first, and conmon
     * 2.1.6 then never closed the container's stdin (a read of freed memory): `cat` ran forever, in 1 of 25 runs of
     * the test above and in most runs of this one.
     */
    @Test
    void aStdinOnlyAttachThatEndsWhileTheContainerPrintsEndsItsInput() throws Exception {
        byte[] lines = "a line for cat to print back while the attach ends\n".repeat(4000).getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 8; round++) {
            daemon.docker("create", "-i", "--name", "stdin-printing", "busybox", "sh", "-c", "cat; echo end").orFail();
            daemon.docker("start", "stdin-printing").orFail();
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket))) {
                hijack(ch, "/v1.43/containers/stdin-printing/attach?stream=1&stdin=1");
                ch.write(ByteBuffer.wrap(lines));
                ch.shutdownOutput();
                readUntilClosed(ch);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String running = "true";
            while (running.equals("true") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                running = daemon.docker("inspect", "-f", "{{.State.Running}}", "stdin-printing").orFail().out();
            }
            daemon.docker("rm", "-f", "stdin-printing").orFail();
            assertThat(running).as("the container's cat still runs in round %d: its stdin was not closed", round).isEqualTo("false");
        }
    }

    /**
     * A stdin opened without StdinOnce ({@code run -d -i}) outlives each attach, as in Docker: the next attach still
     * writes to the same input. Before: the first attach's end closed it and {@code cat} ended.
     */
    @Test
    void aStdinOpenedWithoutStdinOnceOutlivesEachAttach() throws Exception {
        daemon.docker("run", "-d", "-i", "--name", "stdin-kept", "busybox", "sh", "-c", "cat; echo end").orFail();
        for (String line : new String[] {"first attach\n", "second attach\n"}) {
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket))) {
                hijack(ch, "/v1.43/containers/stdin-kept/attach?stream=1&stdin=1");
                ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
                ch.shutdownOutput();
                readUntilClosed(ch);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!daemon.docker("logs", "stdin-kept").stdout().contains("second") && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(daemon.docker("logs", "stdin-kept").orFail().stdout()).isEqualTo("first attach\nsecond attach\n");
        assertThat(daemon.docker("inspect", "-f", "{{.State.Running}}", "stdin-kept").orFail().out()).isEqualTo("true");
        daemon.docker("rm", "-f", "stdin-kept").orFail();
    }

    /** attach with logs=1 and stream=0 answers what was logged and ends, the container still running. */
    @Test
    void anAttachForLogsWithoutStreamReturnsTheLogsAndEnds() throws Exception {
        daemon.docker("run", "-d", "--name", "logs-only", "busybox", "sh", "-c", "echo out1; echo err1 >&2; sleep 600").orFail();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!daemon.docker("logs", "logs-only").stderr().contains("err1") && System.nanoTime() < deadline) Thread.sleep(100);
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket))) {
            hijack(ch, "/v1.43/containers/logs-only/attach?logs=1&stream=0&stdout=1&stderr=1");
            CompletableFuture<byte[]> body = CompletableFuture.supplyAsync(() -> readAll(ch), r -> Thread.ofVirtual().start(r));
            // multiplexed: stream 1 "out1\n", stream 2 "err1\n", then the end of the connection
            assertThat(body.get(10, TimeUnit.SECONDS)).containsExactly(
                    1, 0, 0, 0, 0, 0, 0, 5, 'o', 'u', 't', '1', '\n', 2, 0, 0, 0, 0, 0, 0, 5, 'e', 'r', 'r', '1', '\n');
        }
        assertThat(daemon.docker("inspect", "-f", "{{.State.Running}}", "logs-only").orFail().out()).isEqualTo("true");
        daemon.docker("rm", "-f", "logs-only").orFail();
    }

    /**
     * ctrl-p,ctrl-q through the docker CLI on a terminal: the CLI detaches, the container runs on and its terminal
     * still takes the next client's input. Before: the client's end closed the container's terminal input.
     */
    @Test
    void detachingFromATerminalLeavesTheContainerRunningWithItsInput() throws Exception {
        daemon.docker("run", "-dit", "--name", "tty-detach", "busybox", "sh").orFail();
        Cmd.Result first = typeInto("tty-detach", "");
        assertThat(first.stdout()).contains("read escape sequence");
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}}", "tty-detach").orFail().out()).isEqualTo("running");
        Cmd.Result second = typeInto("tty-detach", "echo $((6*7))\\n");
        assertThat(second.stdout()).contains("42\r\n").contains("read escape sequence");
        assertThat(daemon.docker("inspect", "-f", "{{.State.Status}}", "tty-detach").orFail().out()).isEqualTo("running");
        daemon.docker("rm", "-f", "tty-detach").orFail();
    }

    /** docker attach on a terminal (util-linux script), typing {@code line} (printf format) and then ctrl-p,ctrl-q. */
    private static Cmd.Result typeInto(String container, String line) throws Exception {
        String typing = "(sleep 2; printf '" + line + "'; sleep 1; printf '\\020\\021') | script -qec '/usr/local/bin/docker attach "
                + container + "' /dev/null";
        return Cmd.run(java.util.List.of("sh", "-c", typing), java.util.Map.of("DOCKER_HOST", daemon.host()), null,
                java.time.Duration.ofSeconds(30));
    }

    /** Sends a POST that asks to upgrade the connection, as the docker CLI does, and returns the response head. */
    static String hijack(SocketChannel ch, String path) throws Exception {
        String request = "POST " + path + " HTTP/1.1\r\nHost: berthd\r\nContent-Length: 0\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
        ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        StringBuilder head = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!head.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (ch.read(one) < 0) throw new AssertionError("connection closed in the response head: " + head);
            head.append((char) one.get(0));
        }
        return head.toString();
    }

    /** Reads until the server closes the connection; how many bytes came. */
    static int readUntilClosed(SocketChannel ch) {
        return readAll(ch).length;
    }

    static byte[] readAll(SocketChannel ch) {
        try {
            var out = new java.io.ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf.clear()) >= 0) out.write(buf.array(), 0, buf.position());
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path randomFile(Path path, int size) throws Exception {
        Random random = new Random(size);
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(path)) {
            for (int left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, Math.min(left, chunk.length));
            }
        }
        return path;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1024 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
