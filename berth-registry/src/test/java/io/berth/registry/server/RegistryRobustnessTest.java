package io.berth.registry.server;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.berth.registry.server.TestRegistry.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad and hostile input, and many clients at once: the registry answers, stores nothing partial, keeps serving. */
class RegistryRobustnessTest {
    @TempDir
    static Path root;
    static TestRegistry registry;

    @BeforeAll
    static void start() {
        registry = TestRegistry.open(root);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** Sends raw bytes, half-closes, and returns what the server answered (empty if it just closed). */
    private static String raw(String head, byte[] body, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", registry.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            if (!halfClose) {
                return "";
            }
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            try {
                in.transferTo(response);
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // what arrived is enough
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static List<Path> leftovers() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path dir : List.of(root.resolve("uploads"), root.resolve("blobs/sha256"))) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> dir.endsWith("uploads") || p.getFileName().toString().startsWith(".")).forEach(found::add);
            }
        }
        return found;
    }

    private static void awaitNoLeftovers() throws Exception {
        for (int i = 0; i < 200 && !leftovers().isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aTlsHelloOnThePlainPortIsRefusedAtOnceAndHttpIsServed() throws Exception {
        // What docker and skopeo send first to an insecure registry: a TLS record header (handshake, TLS 1.0).
        long start = System.nanoTime();
        String answer = raw("\u0016\u0003\u0001\u0000\u0040", new byte[16], true);
        assertThat(answer).startsWith("HTTP/1.0 400 Bad Request").contains("HTTP request to an HTTPS server");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        // plain HTTP on the same port is served, body and all, and the connection ends cleanly
        String ping = raw("GET /v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0], true);
        assertThat(ping).startsWith("HTTP/1.1 200").endsWith("{}");
    }

    @Test
    void contentLengthLieIsRefusedWithoutAllocatingOrKeepingAnything() throws Exception {
        byte[] sent = new byte[64 * 1024];
        new Random(1).nextBytes(sent);
        Digest claimed = Digest.sha256(sent);
        long before = Runtime.getRuntime().totalMemory();
        String response = raw("POST /v2/robust/lie/blobs/uploads/?digest=" + claimed + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 10737418240\r\n\r\n", sent, true);
        assertThat(response).startsWith("HTTP/1.1 400").contains("BLOB_UPLOAD_INVALID");
        assertThat(Runtime.getRuntime().totalMemory() - before).isLessThan(512L * 1024 * 1024);
        assertThat(Files.exists(root.resolve("blobs/sha256").resolve(claimed.hex()))).isFalse();
        awaitNoLeftovers();
        assertThat(registry.send("HEAD", "/v2/robust/lie/blobs/" + claimed, null).statusCode()).isEqualTo(404);
        assertThat(registry.send("GET", "/v2/", null).statusCode()).isEqualTo(200);

        // the same lie on a manifest: refused from the header alone
        String manifest = raw("PUT /v2/robust/lie/manifests/latest HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: " + MediaTypes.OCI_MANIFEST + "\r\nContent-Length: 10737418240\r\n\r\n", sent, true);
        assertThat(manifest).startsWith("HTTP/1.1 413").contains("SIZE_INVALID");
    }

    @Test
    void truncatedChunkLeavesTheSessionAtItsLastGoodSize() throws Exception {
        HttpResponse<byte[]> post = registry.send("POST", "/v2/robust/truncated/blobs/uploads/", null);
        String location = post.headers().firstValue("Location").orElseThrow();
        byte[] content = new byte[200_000];
        new Random(2).nextBytes(content);
        String response = raw("PATCH " + location + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Range: 0-" + (content.length - 1) + "\r\nContent-Length: " + content.length + "\r\n\r\n",
                java.util.Arrays.copyOf(content, 50_000), true);
        assertThat(response).startsWith("HTTP/1.1 400").contains("BLOB_UPLOAD_INVALID");
        HttpResponse<byte[]> status = registry.send("GET", location, null);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-0");
        assertThat(Files.size(root.resolve("uploads").resolve(location.substring(location.lastIndexOf('/') + 1))
                .resolve("data"))).isZero();
        // the client retries the chunk and finishes
        assertThat(registry.send("PATCH", location, content, "Content-Range", "0-" + (content.length - 1))
                .statusCode()).isEqualTo(202);
        Digest digest = Digest.sha256(content);
        assertThat(registry.send("PUT", location + "?digest=" + digest, null).statusCode()).isEqualTo(201);
        assertThat(registry.send("GET", "/v2/robust/truncated/blobs/" + digest, null).body()).isEqualTo(content);
    }

    @Test
    void monolithicUploadCutOffMidwayLeavesNothing() throws Exception {
        byte[] content = new byte[300_000];
        new Random(3).nextBytes(content);
        Digest digest = Digest.sha256(content);
        raw("POST /v2/robust/cut/blobs/uploads/?digest=" + digest + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n", java.util.Arrays.copyOf(content, 100_000), false);
        for (int i = 0; i < 250 && registry.log.stream().noneMatch(e -> e.path().startsWith("/v2/robust/cut/")); i++) {
            Thread.sleep(20);
        }
        assertThat(registry.log).anyMatch(e -> e.path().startsWith("/v2/robust/cut/") && e.method().equals("POST"));
        awaitNoLeftovers();
        assertThat(Files.exists(root.resolve("blobs/sha256").resolve(digest.hex()))).isFalse();
        assertThat(registry.send("HEAD", "/v2/robust/cut/blobs/" + digest, null).statusCode()).isEqualTo(404);
        assertThat(registry.pushBlob("robust/cut", content)).isEqualTo(digest);
    }

    @Test
    void pathTraversalOnTheWire() throws Exception {
        for (String path : List.of("/v2/../../etc/passwd/blobs/uploads/", "/v2/a/../../../tmp/x/blobs/uploads/",
                "/v2//abs/blobs/uploads/", "/v2/a/%2e%2e/%2e%2e/b/blobs/uploads/")) {
            String response = raw("POST " + path + "?digest=" + Digest.sha256(new byte[1]) + " HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Length: 1\r\n\r\n", new byte[1], true);
            assertThat(response).as(path).startsWith("HTTP/1.1 400").contains("NAME_INVALID");
        }
        try (Stream<Path> walk = Files.walk(root.getParent(), 2)) {
            assertThat(walk.map(p -> p.getFileName() == null ? "" : p.getFileName().toString()))
                    .doesNotContain("passwd", "abs");
        }
    }

    @Test
    void sixteenClientsPushingTheSameAndDifferentBlobs() throws Exception {
        byte[] shared = new byte[1 << 20];
        new Random(4).nextBytes(shared);
        Digest sharedDigest = Digest.sha256(shared);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Digest>> work = new ArrayList<>();
            List<byte[]> own = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                byte[] mine = new byte[256 * 1024 + i];
                new Random(100 + i).nextBytes(mine);
                own.add(mine);
                String repo = "concurrent/repo" + (i % 4);
                int n = i;
                work.add(() -> {
                    chunkedPush(repo, shared);
                    Digest d = registry.pushBlob(repo, mine);
                    assertThat(registry.send("GET", "/v2/" + repo + "/blobs/" + sharedDigest, null).body())
                            .isEqualTo(shared);
                    return n % 2 == 0 ? d : registry.pushBlob("concurrent/same", shared);
                });
            }
            List<Future<Digest>> results = pool.invokeAll(work);
            for (Future<Digest> f : results) {
                f.get();
            }
            for (int i = 0; i < 16; i++) {
                String repo = "concurrent/repo" + (i % 4);
                assertThat(registry.send("GET", "/v2/" + repo + "/blobs/" + Digest.sha256(own.get(i)), null).body())
                        .isEqualTo(own.get(i));
                assertThat(registry.send("GET", "/v2/" + repo + "/blobs/" + sharedDigest, null).body())
                        .isEqualTo(shared);
            }
            assertThat(Files.readAllBytes(root.resolve("blobs/sha256").resolve(sharedDigest.hex()))).isEqualTo(shared);
            awaitNoLeftovers();
        } finally {
            pool.shutdownNow();
        }
    }

    /** POST, two PATCH chunks, PUT: the way big layers are pushed. */
    private static void chunkedPush(String repo, byte[] content) {
        String location = registry.send("POST", "/v2/" + repo + "/blobs/uploads/", null)
                .headers().firstValue("Location").orElseThrow();
        int half = content.length / 2;
        assertThat(registry.send("PATCH", location, java.util.Arrays.copyOf(content, half),
                "Content-Range", "0-" + (half - 1)).statusCode()).isEqualTo(202);
        assertThat(registry.send("PATCH", location, java.util.Arrays.copyOfRange(content, half, content.length),
                "Content-Range", half + "-" + (content.length - 1)).statusCode()).isEqualTo(202);
        HttpResponse<byte[]> put = registry.send("PUT", location + "?digest=" + Digest.sha256(content), null);
        assertThat(put.statusCode()).as(errorCode(put)).isEqualTo(201);
    }
}
