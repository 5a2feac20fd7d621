package io.berth.registry.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.berth.http.BoundedInputStream;
import io.berth.http.ResponseHead;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain-HTTP server's framing, on raw sockets: keep-alive, request bodies, 100 Continue, HEAD, file regions. */
class PlainHttpServerTest {
    private static final int FILE_SIZE = 8 * 1024 * 1024 + 17;

    @TempDir
    Path dir;
    private Path file;
    private byte[] content;
    private ExecutorService executor;
    private PlainHttpServer server;

    /**
     * {@code /echo} answers with the request body; {@code /file?from=a&count=n} sends n bytes of the file from a
     * with sendFile; {@code /ignore} answers without reading the body.
     */
    @BeforeEach
    void start() throws IOException {
        content = new byte[FILE_SIZE];
        new Random(7).nextBytes(content);
        file = Files.write(dir.resolve("blob"), content);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = new PlainHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new PlainHttpServer.Limits(Duration.ofMillis(500), Duration.ofMillis(500), 512), executor, this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        executor.shutdownNow();
    }

    private void handle(Exchange exchange) {
        try {
            switch (exchange.rawPath()) {
                case "/echo" -> {
                    byte[] body = exchange.requestBody().readAllBytes();
                    exchange.sendHead(200, body.length);
                    try (OutputStream out = exchange.responseBody()) {
                        out.write(body);
                    }
                }
                case "/file" -> {
                    String[] query = exchange.rawQuery().split("[=&]");
                    long from = Long.parseLong(query[1]);
                    long count = Long.parseLong(query[3]);
                    try (FileChannel channel = FileChannel.open(file)) {
                        exchange.sendHead(206, count);
                        if (!exchange.method().equals("HEAD")) {
                            exchange.sendFile(channel, from, count);
                        }
                    }
                }
                default -> exchange.sendHead(204, 0);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            exchange.close();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private record Response(ResponseHead head, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private static Response receive(InputStream in, boolean head) throws IOException {
        ResponseHead response = ResponseHead.read(in);
        long length = head ? 0 : Math.max(0, response.contentLength());
        return new Response(response, new BoundedInputStream(in, length).readAllBytes());
    }

    @Test
    void twoRequestsShareOneConnection() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            send(socket, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nbye");
            assertThat(receive(in, false).text()).isEqualTo("hello");
            Response second = receive(in, false);
            assertThat(second.text()).isEqualTo("bye");
            assertThat(second.head().first("Connection")).isEmpty();
        }
    }

    @Test
    void connectionCloseAndHttp10EndTheConnection() throws IOException {
        for (String request : new String[] {"GET /x HTTP/1.1\r\nConnection: close\r\n\r\n", "GET /x HTTP/1.0\r\n\r\n"}) {
            answeredThenClosed(request, 204);
        }
    }

    /** Sends one request, expects its response to say and do {@code Connection: close}, and returns it. */
    private Response answeredThenClosed(String request, int status) throws IOException {
        try (Socket socket = connect()) {
            InputStream in = socket.getInputStream();
            send(socket, request);
            Response response = receive(in, false);
            assertThat(response.head().status()).as(request).isEqualTo(status);
            assertThat(response.head().first("Connection")).hasValue("close");
            assertThat(in.read()).isEqualTo(-1);
            return response;
        }
    }

    @Test
    void aChunkedRequestBodyIsDecoded() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            send(socket, "PATCH /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\nchun\r\n3;ext=1\r\nked\r\n0\r\nTrailer: t\r\n\r\n"
                    + "GET /x HTTP/1.1\r\n\r\n");
            assertThat(receive(in, false).text()).isEqualTo("chunked");
            assertThat(receive(in, false).head().status()).isEqualTo(204);
        }
    }

    @Test
    void expectContinueIsAnsweredWhenTheBodyIsWanted() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            send(socket, "PUT /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            assertThat(ResponseHead.read(in).status()).isEqualTo(100);
            send(socket, "body");
            assertThat(receive(in, false).text()).isEqualTo("body");
        }
    }

    @Test
    void aBodyHeldBackForContinueAndNotWantedClosesTheConnection() throws IOException {
        answeredThenClosed("PUT /ignore HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n", 204);
    }

    @Test
    void anUnreadBodyIsDrainedBeforeTheNextRequest() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            send(socket, "PUT /ignore HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789POST /echo HTTP/1.1\r\n"
                    + "Content-Length: 2\r\n\r\nok");
            assertThat(receive(in, false).head().status()).isEqualTo(204);
            assertThat(receive(in, false).text()).isEqualTo("ok");
        }
    }

    @Test
    void headAnnouncesTheLengthAndSendsNoBody() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            send(socket, "HEAD /file?from=0&count=1000 HTTP/1.1\r\n\r\nGET /file?from=0&count=3 HTTP/1.1\r\n\r\n");
            Response head = receive(in, true);
            assertThat(head.head().contentLength()).isEqualTo(1000);
            Response get = receive(in, false);
            assertThat(get.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 0, 3));
        }
    }

    @Test
    void aFileRegionGoesOutWholeToASlowReader() throws IOException {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.setSoTimeout(5_000);
            socket.connect(server.address());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            long from = 12345;
            long count = FILE_SIZE - from - 1;
            send(socket, "GET /file?from=" + from + "&count=" + count + " HTTP/1.1\r\n\r\n");
            // not read at first, so the socket's buffers fill and the writes have to wait
            sleep(300);
            ResponseHead head = ResponseHead.read(in);
            byte[] body = new BoundedInputStream(in, head.contentLength()).readAllBytes();
            assertThat(body).isEqualTo(java.util.Arrays.copyOfRange(content, (int) from, (int) (from + count)));
            send(socket, "GET /x HTTP/1.1\r\n\r\n");
            assertThat(receive(in, false).head().status()).isEqualTo(204);
        }
    }

    @Test
    void malformedRequestsGetA400AndAClose() throws IOException {
        for (String request : new String[] {"GET / HTTP/9\r\n\r\n", "GET / HTTP/1.1\r\nbroken\r\n\r\n",
                "PUT / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"}) {
            assertThat(answeredThenClosed(request, 400).text()).startsWith("malformed HTTP request");
        }
    }

    @Test
    void aSilentClientLosesItsConnection() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /x HTTP/1.1\r\nHost: x\r\n");
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(4).toNanos());
        }
    }

    @Test
    void aHeadTrickledByteByByteLosesItsConnectionAtTheHeadDeadline() throws Exception {
        // The read timeout alone never fires for a client that sends a byte now and then (slowloris).
        try (PlainHttpServer slow = new PlainHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new PlainHttpServer.Limits(Duration.ofSeconds(5), Duration.ofMillis(400), 512), executor, this::handle)) {
            slow.start();
            try (Socket socket = new Socket(slow.address().getAddress(), slow.address().getPort())) {
                long start = System.nanoTime();
                String head = "GET /x HTTP/1.1\r\nX-Slow: " + "a".repeat(100);
                boolean cut = false;
                for (int i = 0; i < head.length() && !cut; i++) {
                    try {
                        send(socket, head.substring(i, i + 1));
                    } catch (IOException e) {
                        cut = true;
                    }
                    sleep(50);
                }
                assertThat(cut || socket.getInputStream().read() < 0).isTrue();
                assertThat(System.nanoTime() - start).isLessThan(Duration.ofMillis(4000).toNanos());
            }
        }
    }

    @Test
    void connectionsBeyondTheCapWaitInTheBacklogAndAreServedWhenSlotsFree() throws Exception {
        try (PlainHttpServer capped = new PlainHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new PlainHttpServer.Limits(Duration.ofSeconds(5), Duration.ofMillis(300), 4), executor, this::handle)) {
            capped.start();
            java.util.List<Socket> idle = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    idle.add(new Socket(capped.address().getAddress(), capped.address().getPort()));
                }
                sleep(100);
                assertThat(capped.openConnections()).isLessThanOrEqualTo(4);
                try (Socket socket = new Socket(capped.address().getAddress(), capped.address().getPort())) {
                    socket.setSoTimeout(10_000);
                    send(socket, "POST /echo HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");
                    assertThat(receive(socket.getInputStream(), false).text()).isEqualTo("hi");
                }
                assertThat(capped.openConnections()).isLessThanOrEqualTo(4);
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aTlsHelloIsRefusedAtOnce() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "\u0016\u0003\u0001\u0000\u0040");
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.0 400 Bad Request").contains("HTTP request to an HTTPS server");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
