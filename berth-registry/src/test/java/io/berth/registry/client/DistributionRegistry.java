package io.berth.registry.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Debian's distribution 2.8 registry ({@code /usr/bin/docker-registry}) on 127.0.0.1 with its storage in a temp
 * directory, optionally with htpasswd basic auth. Relative upload URLs make it usable behind a proxy.
 */
final class DistributionRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;

    private DistributionRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** @param htpasswd an htpasswd file for basic auth, or null for none */
    static DistributionRegistry start(Path dir, Path htpasswd) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path storage = Files.createDirectories(dir.resolve("storage"));
        String config = """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  relativeurls: true
                """.formatted(storage, port);
        if (htpasswd != null) {
            config += """
                    auth:
                      htpasswd:
                        realm: berth-test
                        path: %s
                    """.formatted(htpasswd);
        }
        Path configFile = dir.resolve("config.yml");
        Files.writeString(configFile, config);
        Process process = new ProcessBuilder(BINARY.toString(), "serve", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        DistributionRegistry registry = new DistributionRegistry(process, port);
        registry.awaitReady(dir);
        return registry;
    }

    private void awaitReady(Path dir) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
                }
                try {
                    int status = http.send(HttpRequest.newBuilder(URI.create("http://" + domain() + "/v2/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200 || status == 401) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(50);
            }
        }
        close();
        throw new IOException("docker-registry did not become ready: " + Files.readString(dir.resolve("registry.log")));
    }

    int port() {
        return port;
    }

    String domain() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
