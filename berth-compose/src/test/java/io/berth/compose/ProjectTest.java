package io.berth.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dependency relations compose acts on. */
class ProjectTest {
    @TempDir
    Path dir;

    @Test
    void restartDependentsFollowOnlyRestartTrueEdgesTransitively() throws IOException {
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  db: {image: x}
                  api: {image: x, depends_on: {db: {condition: service_started, restart: true}}}
                  worker: {image: x, depends_on: {api: {condition: service_started, restart: true}}}
                  cron: {image: x, depends_on: [db]}
                  web: {image: x, depends_on: {api: {condition: service_started}}}
                """);
        Project p = ProjectLoader.load(LoadOptions.of(dir, Map.of()).withFiles("compose.yaml"));
        assertThat(p.restartDependents("db")).containsExactlyInAnyOrder("api", "worker");
        assertThat(p.restartDependents("api")).containsExactly("worker");
        assertThat(p.restartDependents("web")).isEmpty();
    }
}
