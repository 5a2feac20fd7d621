package io.berth.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's distribution 2.8 registry on 127.0.0.1, for tests; its stderr is the access log. */
final class DistributionRegistry implements AutoCloseable {
    final int port;
    final Path log;
    private final Process process;

    private DistributionRegistry(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static DistributionRegistry start(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
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
                """.formatted(dir.resolve("storage"), port));
        Path log = dir.resolve("registry.log");
        Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return new DistributionRegistry(port, log, p);
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("registry did not start: " + Files.readString(log));
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    /** Requests in the access log whose line matches, e.g. blob uploads ("PUT" + "/blobs/uploads/"). */
    long countRequests(String method, String pathPart) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.stream().filter(l -> l.contains("http.request.method=" + method) && l.contains(pathPart)
                && l.contains("response completed")).count();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
