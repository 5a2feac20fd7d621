package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.FakeEngine;
import io.berth.cli.Io;
import io.berth.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code compose up -d} asks the daemon (a scripted one that keeps the containers it was asked to create):
 * a second {@code up} with nothing changed lists the project's containers once and inspects each shared image once.
 */
class ComposeUpRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The daemon's state: containers by id (as /containers/json lists them), networks and volumes by name. */
    private final Map<String, ObjectNode> containers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> objects = new ConcurrentHashMap<>();

    private FakeEngine.Response answer(FakeEngine.Request r) {
        String[] line = r.line().split(" ");
        String method = line[0];
        String path = line[1].replaceFirst("^/v1\\.\\d+", "");
        String bare = path.replaceFirst("\\?.*", "");
        try {
            if (method.equals("GET") && bare.equals("/containers/json")) {
                ArrayNode list = JSON.createArrayNode();
                containers.values().forEach(list::add);
                return json(200, list.toString());
            }
            if (method.equals("POST") && bare.equals("/containers/create")) {
                String name = path.replaceFirst(".*name=", "").replaceFirst("&.*", "");
                JsonNode body = JSON.readTree(r.body());
                ObjectNode c = JSON.createObjectNode();
                c.put("Id", name + "-id").putArray("Names").add("/" + name);
                c.put("Image", body.path("Image").asText()).put("State", "created").put("Status", "Created");
                c.set("Labels", body.path("Labels"));
                containers.put(name + "-id", c);
                return json(201, "{\"Id\":\"" + name + "-id\",\"Warnings\":[]}");
            }
            if (method.equals("POST") && bare.matches("/containers/[^/]+/start")) {
                containers.get(bare.split("/")[2]).put("State", "running").put("Status", "Up 1 second");
                return new FakeEngine.Response(204, "text/plain", "");
            }
            if (method.equals("GET") && bare.startsWith("/images/")) {
                return json(200, "{\"Id\":\"sha256:" + "ab".repeat(32) + "\",\"Config\":{}}");
            }
            if (method.equals("GET") && (bare.startsWith("/networks/") || bare.startsWith("/volumes/"))) {
                return objects.containsKey(bare) ? json(200, "{\"Name\":\"x\",\"Id\":\"x\"}") : json(404, "{\"message\":\"no such object\"}");
            }
            if (method.equals("POST") && (bare.equals("/networks/create") || bare.equals("/volumes/create"))) {
                String kind = bare.startsWith("/networks") ? "/networks/" : "/volumes/";
                objects.put(kind + JSON.readTree(r.body()).path("Name").asText(), true);
                return json(201, "{\"Id\":\"x\",\"Name\":\"x\"}");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return json(500, "{\"message\":\"unexpected " + method + " " + path + "\"}");
    }

    private static FakeEngine.Response json(int status, String body) {
        return new FakeEngine.Response(status, "application/json", body);
    }

    private int compose(FakeEngine engine, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), fd -> false);
        List<String> all = new java.util.ArrayList<>(List.of("-H", engine.address(), "compose", "-f", dir.resolve("compose.yaml").toString(), "-p", "app"));
        all.addAll(List.of(args));
        int status = Main.run(all.toArray(String[]::new), io, Map.of());
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return status;
    }

    @Test
    void anUpWithNothingToChangeMakesOneListAndOneRequestPerObject() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  db: {image: busybox, command: [sleep, "1000"], volumes: [data:/data]}
                  api: {image: busybox, command: [sleep, "1000"], depends_on: [db]}
                  web: {image: busybox, command: [sleep, "1000"], depends_on: [api]}
                volumes:
                  data: {}
                """);
        try (FakeEngine engine = new FakeEngine(dir, this::answer)) {
            compose(engine, "up", "-d");
            assertThat(containers.values()).extracting(c -> c.path("State").asText()).containsOnly("running").hasSize(3);
            engine.requests.clear();

            compose(engine, "up", "-d");

            assertThat(engine.requests).extracting(r -> r.line().replaceFirst(" HTTP/1.1$", "").replaceFirst("\\?.*", "")).containsExactly(
                    "GET /v1.43/containers/json",
                    "GET /v1.43/networks/app_default",
                    "GET /v1.43/volumes/app_data",
                    "GET /v1.43/images/busybox/json");
        }
    }

    @Test
    void buildSendsEveryBuildKeyAsTheBuildEndpointsQuery() throws Exception {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("app/Dockerfile.web"), "FROM busybox AS base\nFROM base AS web\n");
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  web:
                    build:
                      context: ./app
                      dockerfile: Dockerfile.web
                      args: {FLAVOUR: mint}
                      target: web
                      cache_from: ["app-web:previous", "registry.example/app:cache"]
                      labels: {team: core}
                      network: host
                      no_cache: true
                      pull: true
                """);
        List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeEngine engine = new FakeEngine(dir, r -> {
            if (r.line().startsWith("POST ") && r.line().contains("/build?")) {
                queries.add(java.net.URLDecoder.decode(r.line().split(" ")[1].replaceFirst(".*\\?", ""), StandardCharsets.UTF_8));
                return json(200, "{\"stream\":\"Step 1/2\\n\"}\n{\"aux\":{\"ID\":\"sha256:" + "cd".repeat(32) + "\"}}\n");
            }
            return answer(r);
        })) {
            compose(engine, "build");
        }
        assertThat(queries).hasSize(1);
        assertThat(List.of(queries.getFirst().split("&"))).contains("t=app-web", "dockerfile=Dockerfile.web",
                "buildargs={\"FLAVOUR\":\"mint\"}", "target=web", "nocache=1", "pull=1", "networkmode=host",
                "cachefrom=[\"app-web:previous\",\"registry.example/app:cache\"]");
        assertThat(queries.getFirst()).contains("\"team\":\"core\"", "\"com.docker.compose.project\":\"app\"");
    }
}
