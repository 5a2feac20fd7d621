package io.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** berthd's server under hostile load: heads bounded in size and time, connections bounded in number. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiHttpServerLimitsTest {
    @TempDir
    Path dir;
    private ApiHttpServer server;
    private Path socket;

    private void start(Duration headTimeout, int maxConnections) throws IOException {
        socket = dir.resolve("api.sock");
        Router router = new Router().add("GET", "/_ping", (rq, rs) -> rs.text(200, "OK"));
        server = new ApiHttpServer(socket, router, new ErrorMapper(), new ApiHttpServer.Limits(headTimeout, maxConnections));
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.close();
    }

    @Test
    void aHeadSentTooSlowlyLosesItsConnection() throws Exception {
        start(Duration.ofMillis(400), 16);
        try (RawHttpConnection c = RawHttpConnection.open(socket)) {
            long start = System.nanoTime();
            boolean cut = false;
            String head = "GET /_ping HTTP/1.1\r\nX-Slow: " + "a".repeat(100);
            for (int i = 0; i < head.length() && !cut; i++) {
                try {
                    c.send(head.substring(i, i + 1));
                } catch (IOException e) {
                    cut = true;
                }
                Thread.sleep(50);
            }
            assertThat(cut || c.closedByPeer()).isTrue();
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(4).toNanos());
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsNotCutByTheHeadDeadline() throws Exception {
        start(Duration.ofMillis(300), 16);
        try (RawHttpConnection c = RawHttpConnection.open(socket)) {
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
            Thread.sleep(900); // a docker CLI's pooled connection waits between commands
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void connectionsBeyondTheCapWaitAndAreServedWhenSlotsFree() throws Exception {
        start(Duration.ofMillis(300), 4);
        List<RawHttpConnection> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) idle.add(RawHttpConnection.open(socket));
            Thread.sleep(100);
            assertThat(server.openConnections()).isLessThanOrEqualTo(4);
            try (RawHttpConnection c = RawHttpConnection.open(socket)) {
                assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").status()).isEqualTo(200);
            }
            assertThat(server.openConnections()).isLessThanOrEqualTo(4);
        } finally {
            for (RawHttpConnection c : idle) c.close();
        }
    }

    /**
     * The reproduction of the issue: 199 fields of 64 KB with one name, which the old parser joined into one string
     * per field (quadratic: 1.3 GB per connection). Now the head is refused at 1 MiB, and 32 connections that each
     * hold a head just under the bound keep the heap within a few MiB per connection.
     */
    @Test
    void headsOverAMebibyteAreRefusedWithBoundedMemory() throws Exception {
        start(Duration.ofSeconds(30), 64);
        String field = "X-Big: " + "a".repeat(64 * 1024 - 10) + "\r\n";
        try (RawHttpConnection c = RawHttpConnection.open(socket)) {
            c.send("GET /_ping HTTP/1.1\r\n");
            RawHttpConnection.Response r;
            try {
                for (int i = 0; i < 199; i++) c.send(field);
                c.send("\r\n");
            } catch (IOException refusedMidway) {
                // the server answered and closed while we were still sending
            }
            r = c.readResponse(false);
            assertThat(r.status()).isEqualTo(431);
        }

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        int connections = 32;
        List<RawHttpConnection> holding = new ArrayList<>();
        try {
            String justUnder = "X-Big: " + "a".repeat(60 * 1024) + "\r\n";
            for (int i = 0; i < connections; i++) {
                RawHttpConnection c = RawHttpConnection.open(socket);
                holding.add(c);
                c.send("GET /_ping HTTP/1.1\r\n" + justUnder.repeat(16)); // 960 KB, head not finished
            }
            Thread.sleep(500);
            long held = usedAfterGc(memory) - before;
            assertThat(held).as("heap held by %d unfinished 960 KB heads", connections)
                    .isLessThan(connections * 4L * 1024 * 1024);
            for (RawHttpConnection c : holding) {
                try {
                    c.send(justUnder.repeat(2) + "\r\n");
                } catch (IOException refusedMidway) {
                    // answered already
                }
                assertThat(c.readResponse(false).status()).isEqualTo(431);
            }
        } finally {
            for (RawHttpConnection c : holding) c.close();
        }
        try (RawHttpConnection c = RawHttpConnection.open(socket)) {
            assertThat(c.exchange("GET /_ping HTTP/1.1\r\n\r\n").text()).isEqualTo("OK");
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
