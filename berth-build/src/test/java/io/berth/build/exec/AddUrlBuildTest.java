package io.berth.build.exec;

import com.sun.net.httpserver.HttpServer;
import io.berth.oci.Digest;
import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static io.berth.build.exec.BuildFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ADD of http URLs in real builds, against a local HTTP server (the machine has no internet). */
@Tag("privileged")
class AddUrlBuildTest {
    @TempDir
    static Path tmp;
    static BuildFixture fx;
    static HttpServer server;
    static String base;
    /** path → body; "/named" also sends a Content-Disposition file name. */
    static final Map<String, byte[]> files = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        fx = new BuildFixture(tmp.resolve("root"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (exchange.getRequestURI().getPath().equals("/")) {
                exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"from-header.txt\"");
                body = "named by the header\n".getBytes(StandardCharsets.UTF_8);
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void tearDown() {
        server.stop(0);
        fx.close();
    }

    @Test
    void addDownloadsAFileWithMode0600IntoADirectoryOrOntoAFileName() throws Exception {
        files.put("/dl/hello.txt", "hello over http\n".getBytes(StandardCharsets.UTF_8));
        Path ctx = tmp.resolve("ctx-url");
        write(ctx, "Dockerfile", "FROM busybox\n"
                + "ADD " + base + "/dl/hello.txt /opt/\n"
                + "ADD --chmod=644 " + base + "/dl/hello.txt /etc/renamed.conf\n"
                + "ADD " + base + "/ /srv/\n");
        BuildResult r = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);

        assertThat(fx.read(r.imageId(), "opt/hello.txt")).isEqualTo("hello over http\n");
        Path downloaded = fx.rootfs(r.imageId()).find("opt/hello.txt").orElseThrow();
        assertThat((Integer) Files.getAttribute(downloaded, "unix:mode") & 07777).isEqualTo(0600);
        assertThat(Files.getAttribute(downloaded, "unix:uid")).isEqualTo(0);
        Path renamed = fx.rootfs(r.imageId()).find("etc/renamed.conf").orElseThrow();
        assertThat((Integer) Files.getAttribute(renamed, "unix:mode") & 07777).isEqualTo(0644);
        assertThat(fx.read(r.imageId(), "srv/from-header.txt")).isEqualTo("named by the header\n");
        assertNoDownloadsLeft();
    }

    @Test
    void aDownloadedArchiveIsNotUnpacked() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("not unpacked\n".getBytes(StandardCharsets.UTF_8));
        }
        files.put("/dl/bundle.gz", gz.toByteArray());
        Path ctx = tmp.resolve("ctx-url-archive");
        write(ctx, "Dockerfile", "FROM busybox\nADD " + base + "/dl/bundle.gz /opt/\n");
        BuildResult r = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
        assertThat(Files.readAllBytes(fx.rootfs(r.imageId()).find("opt/bundle.gz").orElseThrow()))
                .isEqualTo(gz.toByteArray());
    }

    @Test
    void theChecksumIsVerifiedAndAMismatchFailsTheStepAndKeepsNothing() throws Exception {
        byte[] body = "pinned\n".getBytes(StandardCharsets.UTF_8);
        files.put("/dl/pinned.txt", body);
        Digest right = Digest.sha256(body);
        Path ctx = tmp.resolve("ctx-url-checksum");
        write(ctx, "Dockerfile", "FROM busybox\nADD --checksum=" + right + " " + base + "/dl/pinned.txt /pinned.txt\n");
        BuildResult r = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
        assertThat(fx.read(r.imageId(), "pinned.txt")).isEqualTo("pinned\n");

        Digest wrong = Digest.sha256("other\n".getBytes(StandardCharsets.UTF_8));
        write(ctx, "Dockerfile", "FROM busybox\nADD --checksum=" + wrong + " " + base + "/dl/pinned.txt /pinned.txt\n");
        assertThatThrownBy(() -> fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("digest mismatch").hasMessageContaining(right.toString())
                .hasMessageContaining(wrong.toString());
        assertNoDownloadsLeft();

        write(ctx, "Dockerfile", "FROM busybox\nADD --checksum=md5:abc " + base + "/dl/pinned.txt /pinned.txt\n");
        assertThatThrownBy(() -> fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false))
                .hasMessageContaining("invalid checksum md5:abc");
    }

    @Test
    void anUnchangedDownloadReusesTheLayerAndAChangedOneRebuilds() throws Exception {
        files.put("/dl/version", "1\n".getBytes(StandardCharsets.UTF_8));
        Path ctx = tmp.resolve("ctx-url-cache");
        write(ctx, "Dockerfile", "FROM busybox\nADD " + base + "/dl/version /version\nRUN cat /version > /copy\n");
        BuildResult first = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
        BuildFixture.Recorded again = new BuildFixture.Recorded();
        assertThat(fx.build(ctx, again, Map.of(), null, null, false).imageId()).isEqualTo(first.imageId());
        assertThat(again.cachedSteps()).containsExactly(false, true, true);

        files.put("/dl/version", "2\n".getBytes(StandardCharsets.UTF_8));
        BuildFixture.Recorded changed = new BuildFixture.Recorded();
        BuildResult second = fx.build(ctx, changed, Map.of(), null, null, false);
        assertThat(changed.cachedSteps()).containsExactly(false, false, false);
        assertThat(fx.read(second.imageId(), "copy")).isEqualTo("2\n");
    }

    @Test
    void failedDownloadsCopyOfAUrlAndGitSourcesAreClearErrors() throws Exception {
        Path ctx = tmp.resolve("ctx-url-errors");
        for (String[] c : new String[][] {
                {"ADD " + base + "/dl/missing /x", "the server answered HTTP 404"},
                {"ADD http://127.0.0.1:1/x /x", "cannot download"},
                {"COPY " + base + "/dl/hello.txt /x", "COPY takes no URLs"},
                {"ADD git@github.com:moby/moby.git /src", "git sources are not supported"},
                {"ADD https://github.com/moby/moby.git#v1 /src", "git sources are not supported"},
                {"ADD ftp://127.0.0.1/x /x", "only http and https URLs"},
                {"COPY --checksum=sha256:" + "0".repeat(64) + " a /x", "unknown flag: \"checksum\""},
                {"ADD " + base + "/dl/ /dir/", "cannot determine a file name"}}) {
            files.put("/dl/", new byte[0]);
            write(ctx, "Dockerfile", "FROM busybox\n" + c[0] + "\n");
            assertThatThrownBy(() -> fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false))
                    .as(c[0]).isInstanceOf(InvalidArgumentException.class).hasMessageContaining(c[1]);
        }
        assertNoDownloadsLeft();
    }

    private static void assertNoDownloadsLeft() throws Exception {
        Path downloads = tmp.resolve("root").resolve("cache").resolve("tmp");
        if (!Files.isDirectory(downloads)) return;
        try (Stream<Path> left = Files.list(downloads)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("add-url-"));
        }
    }
}
