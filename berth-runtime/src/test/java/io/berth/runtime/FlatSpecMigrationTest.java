package io.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * container.json documents written before ContainerSpec had named parts still load, every setting in its part,
 * the daemon's create body included. The resources were written by that code (ContainerStore.save of the flat
 * record), not by hand.
 */
class FlatSpecMigrationTest {
    static final String ID = "c0ffee".repeat(10) + "c0ff";

    @Test
    void aFlatDocumentWithEverySettingLoadsIntoTheParts(@TempDir Path dataRoot) throws IOException {
        Container c = loadOnly(dataRoot, "container-flat-spec-full.json");

        Map<String, Object> createBody = Map.of("Image", "busybox", "Cmd", List.of("sh", "-c", "sleep 100"),
                "Env", List.of("SECRET=s3cr3t"), "Labels", Map.of("tier", "web"),
                "HostConfig", Map.of("Memory", 67108864, "CapAdd", List.of("NET_ADMIN"),
                        "RestartPolicy", Map.of("Name", "on-failure", "MaximumRetryCount", 3)));
        ContainerSpec expected = ContainerSpec.builder(ID).name("/web").image("busybox").imageId("sha256:" + "1".repeat(64))
                .args(List.of("sh", "-c", "sleep 100")).env(List.of("PATH=/bin", "SECRET=s3cr3t")).workingDir("/srv")
                .user("1000:1000").hostname("box").tty(true).openStdin(true).init(true).readOnlyRootfs(true)
                .capAdd(List.of("NET_ADMIN")).capDrop(List.of("MKNOD")).noNewPrivileges(true)
                .seccomp(new SeccompSetting(SeccompSetting.Kind.PROFILE, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}"))
                .stopSignal("SIGQUIT").stopTimeoutSeconds(7)
                .resources(new Resources(64L << 20, 500_000_000L, 100, 512, 128L << 20))
                .restartPolicy(new RestartPolicy("on-failure", 3)).runtime("runc").labels(Map.of("tier", "web"))
                .rootfs(new RootfsLayers(List.of(Path.of("/var/lib/berth/layers/b"), Path.of("/var/lib/berth/layers/a"))))
                .created(Instant.parse("2026-12-07T11:00:00.123456789Z")).extra(Map.of("createBody", createBody)).build();
        assertThat(c.spec()).isEqualTo(expected);
        assertThat(c.spec().extra().get("createBody")).isEqualTo(createBody);
        assertThat(c.name()).isEqualTo("web");
        assertThat(c.state().exitCode()).isEqualTo(137);
        assertThat(c.restartCount()).isEqualTo(1);
        assertThat(c.runtime()).isEqualTo("runc");
        assertThat(c.manuallyStopped()).isTrue();
    }

    @Test
    void aFlatDocumentWithDefaultsLoadsWithTheBuildersDefaults(@TempDir Path dataRoot) throws IOException {
        Container c = loadOnly(dataRoot, "container-flat-spec-minimal.json");
        ContainerSpec expected = ContainerSpec.builder(ID).args(List.of("sh")).rootfs(new RootfsLayers(List.of(Path.of("/l1"))))
                .created(Instant.parse("2026-12-07T11:00:00Z")).build();
        assertThat(c.spec()).isEqualTo(expected);
        assertThat(c.spec().process().stopSignal()).isNull();
        assertThat(c.spec().lifecycle().runtime()).isNull();
        assertThat(c.spec().security().seccomp()).isEqualTo(SeccompSetting.BUILTIN);
    }

    @Test
    void aMigratedContainerIsSavedNestedAndLoadsTheSame(@TempDir Path dataRoot) throws IOException {
        ContainerStore store = new ContainerStore(dataRoot, dataRoot.resolve("exec"));
        Container old = loadOnly(dataRoot, "container-flat-spec-full.json");
        store.save(old);

        JsonNode spec = ContainerStore.JSON.readTree(old.paths().stateFile().toFile()).get("spec");
        assertThat(spec.properties()).extracting(Map.Entry::getKey).containsExactly("id", "name", "image", "imageId", "labels",
                "rootfs", "created", "process", "security", "resources", "mounts", "network", "namespaces", "lifecycle", "extra");
        // written before namespace modes existed: the container's own namespaces, as it had then
        assertThat(old.spec().namespaces()).isEqualTo(NamespacesSpec.DEFAULT);
        assertThat(spec.at("/process/args/2").asText()).isEqualTo("sleep 100");
        assertThat(spec.at("/security/capAdd/0").asText()).isEqualTo("NET_ADMIN");
        assertThat(spec.at("/lifecycle/restartPolicy/name").asText()).isEqualTo("on-failure");
        assertThat(spec.at("/network/hostname").asText()).isEqualTo("box");
        assertThat(spec.at("/extra/createBody/HostConfig/Memory").asLong()).isEqualTo(67108864L);

        List<Container> again = store.loadAll();
        assertThat(again).hasSize(1);
        assertThat(again.getFirst().spec()).isEqualTo(old.spec());
    }

    /** Puts the resource where the store keeps this container's document and loads the data root. */
    private static Container loadOnly(Path dataRoot, String resource) throws IOException {
        ContainerStore store = new ContainerStore(dataRoot, dataRoot.resolve("exec"));
        Path file = ContainerPaths.of(dataRoot, dataRoot.resolve("exec"), ID).stateFile();
        Files.createDirectories(file.getParent());
        try (InputStream in = FlatSpecMigrationTest.class.getResourceAsStream(resource)) {
            Files.copy(in, file);
        }
        List<Container> loaded = store.loadAll();
        assertThat(loaded).hasSize(1);
        return loaded.getFirst();
    }
}
