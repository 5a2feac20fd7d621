package io.berth.oci;

import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    private static final String LAYER = "sha256:" + "1".repeat(64);
    private static final String CONFIG = "sha256:" + "2".repeat(64);

    @Test
    void readsAManifestIgnoringUnknownFieldsAndWritesItBack() {
        String json = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "artifactType":"ignored","subject":{"x":1},
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":7,"urls":[]},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":42,
                            "annotations":{"b":"2","a":"1"}}]}
                """.formatted(CONFIG, LAYER);
        ImageManifest m = Json.read(json.getBytes(StandardCharsets.UTF_8), ImageManifest.class);
        assertThat(m.schemaVersion()).isEqualTo(2);
        assertThat(m.config().digest()).isEqualTo(Digest.parse(CONFIG));
        assertThat(m.layers()).singleElement().satisfies(l -> {
            assertThat(l.size()).isEqualTo(42);
            assertThat(l.annotation("a")).isEqualTo("1");
        });
        String written = new String(Json.canonicalBytes(m), StandardCharsets.UTF_8);
        assertThat(written).isEqualTo("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + CONFIG
                + "\",\"size\":7},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + LAYER + "\",\"size\":42,\"annotations\":{\"a\":\"1\",\"b\":\"2\"}}]}");
        assertThat(Json.read(Json.canonicalBytes(m), ImageManifest.class)).isEqualTo(m);
    }

    @Test
    void imageConfigUsesDockerFieldNames() {
        String json = """
                {"architecture":"amd64","os":"linux","created":"2024-01-02T03:04:05.123456789Z","unknown":true,
                 "config":{"User":"1000","Env":["PATH=/bin"],"Entrypoint":["/bin/sh"],"Cmd":["-c","true"],
                           "WorkingDir":"/w","Labels":{"k":"v"},"StopSignal":"SIGTERM",
                           "ExposedPorts":{"80/tcp":{}},"Volumes":{"/data":{}},"OnBuild":null,"Shell":["/bin/sh","-c"],
                           "Healthcheck":{"Test":["CMD","true"],"Interval":1000},"ArgsEscaped":true},
                 "rootfs":{"type":"layers","diff_ids":["%s"]},
                 "history":[{"created":"2024-01-02T03:04:05Z","created_by":"/bin/sh -c true","empty_layer":true},
                            {"comment":"imported"}]}
                """.formatted(LAYER);
        ImageConfig c = Json.read(json.getBytes(StandardCharsets.UTF_8), ImageConfig.class);
        assertThat(c.config().user()).isEqualTo("1000");
        assertThat(c.config().exposedPorts()).containsOnlyKeys("80/tcp");
        assertThat(c.config().volumes()).containsOnlyKeys("/data");
        assertThat(c.config().healthcheck().get("Interval").asLong()).isEqualTo(1000);
        assertThat(c.diffIds()).containsExactly(Digest.parse(LAYER));
        assertThat(c.history()).hasSize(2);
        assertThat(c.history().getFirst().addsLayer()).isFalse();
        assertThat(c.createdInstant().getEpochSecond()).isEqualTo(1704164645L);

        String written = new String(Json.canonicalBytes(c), StandardCharsets.UTF_8);
        assertThat(written).contains("\"User\":\"1000\"", "\"diff_ids\":[\"" + LAYER + "\"]", "\"created_by\":",
                "\"empty_layer\":true", "\"ExposedPorts\":{\"80/tcp\":{}}");
        assertThat(written).doesNotContain("null", "unknown", "ArgsEscaped", "emptyLayer", "OnBuild");
        assertThat(Json.read(Json.canonicalBytes(c), ImageConfig.class)).isEqualTo(c);
    }

    @Test
    void canonicalBytesAreStable() {
        var a = ContainerConfig.empty().withLabels(Map.of("z", "1", "a", "2", "m", "3"));
        var b = ContainerConfig.empty().withLabels(Map.of("m", "3", "z", "1", "a", "2"));
        assertThat(Json.canonicalBytes(a)).isEqualTo(Json.canonicalBytes(b));
        assertThat(new String(Json.canonicalBytes(a), StandardCharsets.UTF_8))
                .isEqualTo("{\"Labels\":{\"a\":\"2\",\"m\":\"3\",\"z\":\"1\"}}");
    }

    @Test
    void indexRoundTrips() {
        ImageIndex index = ImageIndex.oci(List.of(Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.parse(LAYER), 3)
                .withPlatform(Platform.of("linux", "amd64"))
                .withAnnotations(Map.of("org.opencontainers.image.ref.name", "latest"))));
        assertThat(Json.read(Json.canonicalBytes(index), ImageIndex.class)).isEqualTo(index);
        assertThat(new String(Json.canonicalBytes(index), StandardCharsets.UTF_8))
                .contains("\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}");
    }

    @Test
    void wrapsParseErrors() {
        assertThatThrownBy(() -> Json.read("{not json".getBytes(StandardCharsets.UTF_8), ImageManifest.class))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("invalid JSON in ImageManifest: ");
        assertThatThrownBy(() -> Json.read(
                "{\"config\":{\"digest\":\"sha256:../x\"}}".getBytes(StandardCharsets.UTF_8), ImageManifest.class, "manifest"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("invalid JSON in manifest: ");
    }
}
