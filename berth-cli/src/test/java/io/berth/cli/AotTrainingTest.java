package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache's training reaches the daemon with every hot command, so the classes that read its
 * answers are in the cache: a command refused by the CLI's own parser would train only picocli.
 */
class AotTrainingTest {

    @TempDir
    Path dir;

    @Test
    void everyTrainingCommandParsesAndReachesTheDaemon() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, AotTrainingTest::answer)) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()), errStream,
                    fd -> false);
            for (List<String> command : AotTraining.commands()) {
                AotTraining.run(command, io, Map.of("DOCKER_HOST", engine.address()));
            }
            // a usage error prints "See 'berth CMD --help'." and sends nothing
            assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("See '");
            List<String> lines = engine.requests.stream().map(FakeEngine.Request::line).toList();
            assertThat(lines).anyMatch(l -> l.startsWith("POST /v1.43/containers/create?name=" + AotTraining.CONTAINER))
                    .anyMatch(l -> l.startsWith("POST /v1.43/containers/" + AotTraining.CONTAINER + "/exec"))
                    .anyMatch(l -> l.startsWith("GET /v1.43/containers/") && l.contains("/logs?"))
                    .anyMatch(l -> l.startsWith("GET /v1.43/containers/" + AotTraining.CONTAINER + "/json"))
                    .anyMatch(l -> l.startsWith("GET /v1.43/containers/json?all=1"))
                    .anyMatch(l -> l.startsWith("GET /v1.43/images/json"))
                    .anyMatch(l -> l.startsWith("DELETE /v1.43/containers/" + AotTraining.CONTAINER));
        }
    }

    @Test
    void theContainerCacheIsTrainedOnRunAndExecAndRemovesItsContainer() {
        assertThat(AotTraining.containerCommands()).extracting(c -> c.get(0))
                .containsExactly("run", "exec", "run", "rm");
        assertThat(AotTraining.containerCommands()).allMatch(AotTraining.commands()::contains);
    }

    @Test
    void withoutADaemonEveryCommandStillEnds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        Io io = new Io(new ByteArrayInputStream(new byte[0]), stream, stream, fd -> false);
        Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + dir.resolve("none.sock"));
        for (List<String> command : AotTraining.commands()) {
            AotTraining.run(command, io, env);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("berth version 0.1.0");
    }

    /** Enough of the daemon for each command to go through its whole path. */
    private static FakeEngine.Response answer(FakeEngine.Request r) {
        String line = r.line();
        if (line.contains("/containers/create")) {
            return json(201, "{\"Id\":\"" + "a".repeat(64) + "\",\"Warnings\":[]}");
        }
        if (line.contains("/exec") && line.startsWith("POST /v1.43/containers/")) {
            return json(201, "{\"Id\":\"" + "e".repeat(64) + "\"}");
        }
        if (line.contains("/exec/") && line.contains("/json")) {
            return json(200, "{\"ExitCode\":0,\"Running\":false}");
        }
        if (line.contains("/containers/json")) {
            return json(200, "[{\"Id\":\"" + "a".repeat(64) + "\",\"Names\":[\"/" + AotTraining.CONTAINER
                    + "\"],\"Image\":\"busybox\",\"Command\":\"sleep 60\",\"Created\":1700000000,\"State\":\"running\","
                    + "\"Status\":\"Up 1 second\",\"Ports\":[],\"Labels\":{}}]");
        }
        if (line.contains("/images/json")) {
            return json(200, "[]");
        }
        if (line.contains("/wait")) {
            return json(200, "{\"StatusCode\":0}");
        }
        if (line.contains("/json")) {
            return json(200, "{\"Id\":\"" + "a".repeat(64) + "\",\"Name\":\"/" + AotTraining.CONTAINER
                    + "\",\"State\":{\"Status\":\"running\",\"Running\":true},\"Config\":{\"Tty\":false}}");
        }
        if (line.contains("/logs")) {
            return new FakeEngine.Response(200, "application/vnd.docker.raw-stream", "");
        }
        return new FakeEngine.Response(204, "text/plain", "");
    }

    private static FakeEngine.Response json(int status, String body) {
        return new FakeEngine.Response(status, "application/json", body);
    }
}
