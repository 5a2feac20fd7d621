package io.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.berth.daemon.api.SystemRoutes;

/**
 * A berthd that serves its socket before it is wired: /_ping answers at once, any other request waits for the full
 * route table and is answered by it (a container list asked for during recovery lists what recovery found).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StartingRoutesTest {
    @TempDir
    Path dir;
    private Path socket;
    private StartingRoutes routes;
    private ApiHttpServer server;
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void bind() throws IOException {
        socket = dir.resolve("api.sock");
        Router early = new Router();
        SystemRoutes.registerPing(early);
        routes = new StartingRoutes(early);
        server = new ApiHttpServer(java.util.List.of(new ApiHost.Unix(socket)), null, routes, new ErrorMapper(), ApiHttpServer.Limits.DEFAULT);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        clients.shutdownNow();
    }

    private RawHttpConnection.Response get(String path) throws IOException {
        try (RawHttpConnection c = RawHttpConnection.open(socket)) {
            return c.exchange("GET " + path + " HTTP/1.1\r\nHost: docker\r\n\r\n");
        }
    }

    @Test
    void pingAnswersBeforeTheWiringAndARequestMadeMeanwhileIsAnsweredByTheWiredEngine() throws Exception {
        assertThat(get("/_ping").status()).isEqualTo(200);
        assertThat(get("/_ping").header("Api-Version")).isEqualTo(ApiVersion.CURRENT);

        AtomicInteger recovered = new AtomicInteger(); // what a recovery in progress has found so far
        CompletableFuture<RawHttpConnection.Response> list = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/v1.43/containers/json");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, clients);
        Thread.sleep(300);
        assertThat(list).as("a container list waits for the recovery").isNotDone();
        recovered.set(3); // recovery ends, then the engine's routes are handed over
        Router full = new Router();
        SystemRoutes.registerPing(full);
        full.add("GET", "/containers/json", (rq, rs) -> rs.json(200, Map.of("recovered", recovered.get())));
        routes.ready(full);

        RawHttpConnection.Response r = list.get(5, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("recovered").asInt()).isEqualTo(3);
        assertThat(get("/nothing/here").status()).as("the wired table's 404").isEqualTo(404);
        assertThat(get("/containers/json").json().get("recovered").asInt()).isEqualTo(3);
    }

    @Test
    void aWiringThatFailsAnswersTheWaitingRequestsWithWhy() throws Exception {
        CompletableFuture<RawHttpConnection.Response> info = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/info");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, clients);
        Thread.sleep(200);
        assertThat(info).isNotDone();
        routes.failed(new IOException("store: no space left on device"));
        RawHttpConnection.Response r = info.get(5, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.json().get("message").asText()).isEqualTo("berthd failed to start: store: no space left on device");
        for (String path : new String[] {"/info", "/_ping"}) { // asked after the failure, before berthd closes its socket
            RawHttpConnection.Response later = get(path);
            assertThat(later.status()).as(path).isEqualTo(500);
            assertThat(later.json().get("message").asText()).as(path).isEqualTo("berthd failed to start: store: no space left on device");
        }
    }
}
