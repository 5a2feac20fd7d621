package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineClientTest {

    @TempDir
    Path dir;

    private static void respond(FakeDaemon.Request r, OutputStream out) throws java.io.IOException {
        if (r.requestLine().startsWith("HEAD /_ping")) {
            FakeDaemon.write(out, "HTTP/1.1 200 OK\r\nApi-Version: 1.45\r\nOstype: linux\r\nContent-Length: 2\r\n\r\n");
        } else if (r.requestLine().contains("/containers/json")) {
            FakeDaemon.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\n[{\"Id\r\n"
                    + "b\r\n\":\"abc\"}]\n \r\n"
                    + "0\r\nX-Trailer: t\r\n\r\n");
        } else if (r.requestLine().contains("/containers/nope/json")) {
            FakeDaemon.write(out, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 39\r\n\r\n"
                    + "{\"message\":\"No such container: nope\"}\n\n");
        } else if (r.requestLine().contains("/images/create")) {
            FakeDaemon.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
                    + "{\"status\":\"sha256:1234\"}\r\n{\"status\":\"done\"}");
        } else if (r.requestLine().contains("/images/load")) {
            FakeDaemon.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 41\r\n\r\n{\"errorDetail\":{\"message\":\"bad tar\"}}    ");
        } else {
            FakeDaemon.write(out, "HTTP/1.1 204 No Content\r\n\r\n");
        }
    }

    @Test
    void negotiatesVersionAndDecodesChunkedBodies() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> respond(r, out))) {
            EngineClient client = new EngineClient(daemon.host());
            JsonNode list = client.listContainers(true, 0, false, Map.of("status", List.of("exited")));
            assertThat(list.get(0).path("Id").asText()).isEqualTo("abc");
            assertThat(client.apiVersion()).isEqualTo("1.43");
            assertThat(daemon.requests.get(0).requestLine()).isEqualTo("HEAD /_ping HTTP/1.1");
            assertThat(daemon.requests.get(1).requestLine())
                    .isEqualTo("GET /v1.43/containers/json?all=1&filters=%7B%22status%22%3A%5B%22exited%22%5D%7D HTTP/1.1");
        }
    }

    @Test
    void errorBodiesBecomeApiExceptions() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> respond(r, out))) {
            EngineClient client = new EngineClient(daemon.host());
            assertThatThrownBy(() -> client.inspectContainer("nope", false))
                    .isInstanceOf(EngineApiException.class)
                    .hasMessage("No such container: nope")
                    .satisfies(e -> assertThat(((EngineApiException) e).status()).isEqualTo(404));
        }
    }

    @Test
    void streamsRequestBodiesChunkedAndReadsProgressUntilClose() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> respond(r, out))) {
            EngineClient client = new EngineClient(daemon.host());
            byte[] tar = new byte[100_000];
            for (int i = 0; i < tar.length; i++) {
                tar[i] = (byte) i;
            }
            List<String> statuses = new ArrayList<>();
            client.importImage(new ByteArrayInputStream(tar), "busybox", "latest", List.of("CMD [\"sh\"]"), null,
                    m -> statuses.add(m.path("status").asText()));
            assertThat(statuses).containsExactly("sha256:1234", "done");
            FakeDaemon.Request r = daemon.requests.get(1);
            assertThat(r.body()).isEqualTo(tar);
            assertThat(r.head()).contains("Transfer-Encoding: chunked").contains("Content-Type: application/x-tar");
            assertThat(r.requestLine()).isEqualTo(
                    "POST /v1.43/images/create?fromSrc=-&repo=busybox&tag=latest&changes=CMD%20%5B%22sh%22%5D HTTP/1.1");
        }
    }

    @Test
    void progressErrorsFailTheOperation() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> respond(r, out))) {
            EngineClient client = new EngineClient(daemon.host());
            assertThatThrownBy(() -> client.loadImages(new ByteArrayInputStream(new byte[10]), false, m -> { }))
                    .isInstanceOf(EngineApiException.class).hasMessage("bad tar");
        }
    }

    private static void json(OutputStream out, int status, String body) throws java.io.IOException {
        FakeDaemon.write(out, "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
    }

    @Test
    void pushSendsTheAuthHeaderAndStreamErrorsAreMarked() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> {
            if (r.requestLine().startsWith("HEAD")) {
                respond(r, out);
            } else {
                FakeDaemon.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
                        + "{\"status\":\"The push refers to repository [localhost:5000/a/b]\"}\r\n"
                        + "{\"errorDetail\":{\"message\":\"denied\"},\"error\":\"denied\"}\r\n");
            }
        })) {
            EngineClient client = new EngineClient(daemon.host());
            RegistryAuth auth = new RegistryAuth("u", "p", "localhost:5000");
            List<String> statuses = new ArrayList<>();
            assertThatThrownBy(() -> client.pushImage("localhost:5000/a/b", "1.0", auth, m -> statuses.add(m.path("status").asText())))
                    .isInstanceOf(EngineApiException.class).hasMessage("denied")
                    .satisfies(e -> assertThat(((EngineApiException) e).streamed()).isTrue());
            assertThat(statuses).containsExactly("The push refers to repository [localhost:5000/a/b]");
            FakeDaemon.Request r = daemon.requests.get(1);
            assertThat(r.requestLine()).isEqualTo("POST /v1.43/images/localhost:5000/a/b/push?tag=1.0 HTTP/1.1");
            assertThat(r.head()).contains("X-Registry-Auth: " + auth.header());
        }
    }

    @Test
    void pushAllTagsSendsAnEmptyTagAndPullSendsTheHeader() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> {
            if (r.requestLine().startsWith("HEAD")) {
                respond(r, out);
            } else {
                json(out, 200, "{\"status\":\"ok\"}");
            }
        })) {
            EngineClient client = new EngineClient(daemon.host());
            client.pushImage("busybox", "", RegistryAuth.NONE, m -> { });
            client.pullImage("busybox", "latest", null, new RegistryAuth("u", "p", "https://index.docker.io/v1/"), m -> { });
            assertThat(daemon.requests.get(1).requestLine()).isEqualTo("POST /v1.43/images/busybox/push?tag= HTTP/1.1");
            assertThat(daemon.requests.get(1).head()).contains("X-Registry-Auth: e30=");
            assertThat(daemon.requests.get(2).head())
                    .contains("X-Registry-Auth: " + new RegistryAuth("u", "p", "https://index.docker.io/v1/").header());
        }
    }

    @Test
    void loginPostsTheCredentialsAndSurfacesUnauthorized() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> {
            if (r.requestLine().startsWith("HEAD")) {
                respond(r, out);
            } else if (new String(r.body(), StandardCharsets.UTF_8).contains("\"password\":\"good\"")) {
                json(out, 200, "{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"\"}\n");
            } else {
                json(out, 401, "{\"message\":\"invalid password\"}");
            }
        })) {
            EngineClient client = new EngineClient(daemon.host());
            assertThat(client.login(new RegistryAuth("u", "good", "localhost:5000")).path("Status").asText())
                    .isEqualTo("Login Succeeded");
            FakeDaemon.Request r = daemon.requests.get(1);
            assertThat(r.requestLine()).isEqualTo("POST /v1.43/auth HTTP/1.1");
            assertThat(new String(r.body(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"username\":\"u\",\"password\":\"good\",\"serveraddress\":\"localhost:5000\"}");
            assertThatThrownBy(() -> client.login(new RegistryAuth("u", "bad", "localhost:5000")))
                    .isInstanceOf(EngineApiException.class).hasMessage("invalid password")
                    .satisfies(e -> assertThat(((EngineApiException) e).status()).isEqualTo(401))
                    .satisfies(e -> assertThat(((EngineApiException) e).streamed()).isFalse());
        }
    }

    @Test
    void sendsJsonBodiesWithContentLength() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> {
            if (r.requestLine().startsWith("HEAD")) {
                respond(r, out);
            } else {
                FakeDaemon.write(out, "HTTP/1.1 201 Created\r\nContent-Length: 28\r\n\r\n{\"Id\":\"c1\",\"Warnings\":[]}\n\n\n");
            }
        })) {
            EngineClient client = new EngineClient(daemon.host());
            var body = EngineClient.json().createObjectNode().put("Image", "busybox");
            assertThat(client.createContainer("web", body).path("Id").asText()).isEqualTo("c1");
            FakeDaemon.Request r = daemon.requests.get(1);
            assertThat(r.requestLine()).isEqualTo("POST /v1.43/containers/create?name=web HTTP/1.1");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"Image\":\"busybox\"}");
            assertThat(r.head()).contains("Content-Type: application/json");
        }
    }

    @Test
    void hijackGivesFullDuplexStreamsWithHalfClose() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> {
            if (r.requestLine().startsWith("HEAD")) {
                respond(r, out);
                return;
            }
            FakeDaemon.write(out, "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
            // Echo stdin back as stdout frames until the client half-closes, then send a stderr frame.
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(new byte[] {1, 0, 0, 0, 0, 0, 0, (byte) n});
                out.write(buf, 0, n);
                out.flush();
            }
            out.write(new byte[] {2, 0, 0, 0, 0, 0, 0, 3});
            out.write("eof".getBytes(StandardCharsets.UTF_8));
            out.flush();
        })) {
            EngineClient client = new EngineClient(daemon.host());
            try (HijackedStream stream = client.attach("c1", true, true, true, false, null)) {
                assertThat(stream.head().status()).isEqualTo(101);
                assertThat(daemon.requests.get(1).head()).contains("Connection: Upgrade").contains("Upgrade: tcp");
                assertThat(daemon.requests.get(1).requestLine())
                        .isEqualTo("POST /v1.43/containers/c1/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1");
                stream.out().write("hello".getBytes(StandardCharsets.UTF_8));
                StreamDemux.Frame echoed = StreamDemux.readFrame(stream.in());
                assertThat(new String(echoed.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
                stream.closeWrite();
                ByteArrayOutputStream stdout = new ByteArrayOutputStream();
                ByteArrayOutputStream stderr = new ByteArrayOutputStream();
                StreamDemux.demux(stream.in(), stdout, stderr);
                assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("eof");
            }
        }
    }

    @Test
    void waitIsSentBeforeItsAnswerIsRead() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> {
            if (r.requestLine().startsWith("HEAD")) {
                respond(r, out);
                return;
            }
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String body = "{\"StatusCode\":3,\"Error\":{\"Message\":\"\"}}";
            FakeDaemon.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        })) {
            EngineClient client = new EngineClient(daemon.host());
            var exit = client.waitContainerAsync("c1", "next-exit");
            while (daemon.requests.size() < 2) {
                Thread.sleep(5);
            }
            assertThat(exit).isNotDone();
            assertThat(daemon.requests.get(1).requestLine()).isEqualTo("POST /v1.43/containers/c1/wait?condition=next-exit HTTP/1.1");
            release.countDown();
            assertThat(exit.get().path("StatusCode").asInt()).isEqualTo(3);
        }
    }

    @Test
    void buildSendsTheOptionsAsQueryAndStreamsTheContext() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(dir, (r, in, out) -> {
            if (r.requestLine().startsWith("HEAD")) {
                respond(r, out);
            } else if (r.requestLine().startsWith("POST /v1.43/build/prune")) {
                json(out, 200, "{\"CachesDeleted\":[\"a\"],\"SpaceReclaimed\":10}");
            } else {
                FakeDaemon.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
                        + "{\"stream\":\"Step 1/1 : FROM busybox\\n\"}\r\n"
                        + "{\"aux\":{\"ID\":\"sha256:abc\"}}\r\n"
                        + "{\"errorDetail\":{\"message\":\"step failed\"},\"error\":\"step failed\"}\r\n");
            }
        })) {
            EngineClient client = new EngineClient(daemon.host());
            Map<String, String> args = new java.util.LinkedHashMap<>();
            args.put("A", "1");
            args.put("UNSET", null);
            BuildOptions options = new BuildOptions(List.of("a:1", "b"), "sub/Dockerfile", args, Map.of("l", "v"),
                    "final", true, true, false, "none", List.of("busybox"));
            byte[] tar = new byte[5000];
            List<JsonNode> messages = new ArrayList<>();
            assertThatThrownBy(() -> client.build(options, new ByteArrayInputStream(tar), messages::add))
                    .isInstanceOf(EngineApiException.class).hasMessage("step failed")
                    .satisfies(e -> assertThat(((EngineApiException) e).streamed()).isTrue());
            assertThat(messages).extracting(m -> m.toString())
                    .containsExactly("{\"stream\":\"Step 1/1 : FROM busybox\\n\"}", "{\"aux\":{\"ID\":\"sha256:abc\"}}");
            FakeDaemon.Request r = daemon.requests.get(1);
            assertThat(r.requestLine()).isEqualTo("POST /v1.43/build?t=a%3A1&t=b&dockerfile=sub%2FDockerfile"
                    + "&buildargs=%7B%22A%22%3A%221%22%2C%22UNSET%22%3Anull%7D&labels=%7B%22l%22%3A%22v%22%7D"
                    + "&target=final&nocache=1&pull=1&networkmode=none&cachefrom=%5B%22busybox%22%5D&rm=1&forcerm=0 HTTP/1.1");
            assertThat(r.head()).contains("Transfer-Encoding: chunked").contains("Content-Type: application/x-tar");
            assertThat(r.body()).isEqualTo(tar);

            assertThat(client.pruneBuildCache(true).path("SpaceReclaimed").asLong()).isEqualTo(10);
            assertThat(daemon.requests.get(2).requestLine()).isEqualTo("POST /v1.43/build/prune?all=1 HTTP/1.1");
        }
    }
}
