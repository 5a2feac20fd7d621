package io.berth.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training run of {@code berth compose}'s AOT cache (made by scripts/env.sh after every build): one JVM
 * loads a small project (YAML, interpolation, the schema validator), brings it up, brings it up again with
 * nothing changed (the path {@code bench/run-compose} times), lists it and removes it, against the daemon the
 * CLI talks to. A cache trained on {@code config} alone left the client's and {@code up}'s classes to be loaded
 * from the jars on every call.
 *
 * <p>It leaves nothing: the project ({@code berth-aot-training-PID}: two busybox containers, its network and
 * volume) is removed by {@code down -v}; the validated-model cache goes to the training's own directory, so
 * every run validates. Without a daemon or without busybox each command stops at its error, having loaded
 * most classes before it.
 */
public final class ComposeAotTraining {

    private ComposeAotTraining() {}

    static final String COMPOSE_FILE = """
            services:
              web:
                image: busybox
                command: sh -c "sleep ${NAP:-60}"
                ports: ["127.0.0.1::80"]
                volumes: [data:/data, ./x:/x]
                depends_on: {db: {condition: service_started}}
                stop_grace_period: 1s
              db:
                image: busybox
                command: ["sleep", "60"]
                healthcheck: {test: ["CMD", "true"], interval: 1s}
                stop_grace_period: 1s
            volumes:
              data: {}
            """;

    public static void main(String[] args) throws IOException {
        Io io = Io.system();
        Path dir = Files.createTempDirectory("berth-compose-training");
        try {
            Files.writeString(dir.resolve("compose.yaml"), COMPOSE_FILE);
            Files.createDirectories(dir.resolve("x"));
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
            String file = dir.resolve("compose.yaml").toString();
            String project = "berth-aot-training-" + ProcessHandle.current().pid();
            for (List<String> words : List.of(
                    List.of("config"),
                    List.of("up", "-d"),
                    List.of("up", "-d"),
                    List.of("up", "-d"),
                    List.of("ps"),
                    List.of("down", "-v", "-t", "0"))) {
                List<String> call = new java.util.ArrayList<>(List.of("compose", "-f", file, "-p", project));
                call.addAll(words);
                AotTraining.run(call, io, env);
            }
        } finally {
            deleteTree(dir);
        }
        io.out().flush();
        System.exit(0);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
