package io.berth.runtime;

import io.berth.runtime.health.Health;
import io.berth.runtime.health.HealthConfig;
import io.berth.runtime.health.HealthResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The healthcheck and State.Health travel with container.json, so inspect shows them after a berthd restart. */
class ContainerHealthStoreTest {
    private static final String ID = "c".repeat(64);

    @Test
    void healthcheckAndHealthSurviveSaveAndLoad(@TempDir Path dataRoot) throws Exception {
        ContainerStore store = new ContainerStore(dataRoot, dataRoot.resolve("exec"));
        HealthConfig check = new HealthConfig(List.of("CMD-SHELL", "true"), 1_000_000_000L, 0, 0, 0, 2);
        ContainerSpec spec = ContainerSpec.builder(ID).args(List.of("sleep", "9")).healthcheck(check)
                .shell(List.of("/bin/bash", "-c")).created(Instant.parse("2026-12-07T11:00:00Z")).build();
        Health health = new Health(Health.Status.UNHEALTHY, 2, List.of(
                new HealthResult(Instant.parse("2026-12-07T11:00:01Z"), Instant.parse("2026-12-07T11:00:02Z"), 1, "no")));
        ContainerPaths paths = ContainerPaths.of(dataRoot, dataRoot.resolve("exec"), ID);
        Files.createDirectories(paths.stateFile().getParent());
        Container c = new Container(spec, "x", ContainerState.created(), 0, "crun", 0, false, paths, health);
        store.save(c);

        Container loaded = store.loadAll().getFirst();
        assertThat(loaded.spec().lifecycle().healthcheck()).isEqualTo(check);
        assertThat(loaded.spec().lifecycle().shell()).containsExactly("/bin/bash", "-c");
        assertThat(loaded.health()).isEqualTo(health);

        Container without = new Container(ContainerSpec.builder(ID).args(List.of("true")).build(), "x",
                ContainerState.created(), 0, "crun", 0, false, paths);
        store.save(without);
        assertThat(store.loadAll().getFirst().health()).isNull();
        assertThat(store.loadAll().getFirst().spec().lifecycle().healthcheck()).isNull();
    }
}
