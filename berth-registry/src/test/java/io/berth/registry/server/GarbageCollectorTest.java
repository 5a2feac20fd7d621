package io.berth.registry.server;

import io.berth.oci.Digest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GarbageCollectorTest {
    @TempDir
    Path root;

    private Path blob(Digest d) {
        return root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
    }

    private void age(Digest d) throws Exception {
        Files.setLastModifiedTime(blob(d), FileTime.from(Instant.now().minusSeconds(3600)));
    }

    @Test
    void keepsEverythingReferencedAndDeletesTheRest() throws Exception {
        try (TestRegistry registry = TestRegistry.open(root)) {
            byte[] image = registry.imageManifest("gc/app", MediaTypes.OCI_MANIFEST, "kept layer");
            Digest child = registry.pushManifest("gc/app", Digest.sha256(image).toString(), MediaTypes.OCI_MANIFEST, image);
            byte[] index = Json.canonicalBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_INDEX,
                    "manifests", List.of(TestRegistry.descriptor(MediaTypes.OCI_MANIFEST, child, image.length))));
            Digest indexDigest = registry.pushManifest("gc/app", "latest", MediaTypes.OCI_INDEX, index);
            Digest layer = Digest.sha256("kept layer".getBytes());
            Digest orphan = registry.pushBlob("gc/app", "orphan layer".getBytes());
            Digest otherOrphan = registry.pushBlob("gc/other", "another orphan".getBytes());

            // an untagged manifest whose blobs went with it once deleted
            byte[] dropped = registry.imageManifest("gc/app", MediaTypes.OCI_MANIFEST, "dropped layer");
            Digest droppedDigest = registry.pushManifest("gc/app", "old", MediaTypes.OCI_MANIFEST, dropped);
            registry.send("DELETE", "/v2/gc/app/manifests/" + droppedDigest, null);
            Digest droppedLayer = Digest.sha256("dropped layer".getBytes());
            Digest droppedConfig = Digest.sha256(
                    "{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"dropped layer\"}".getBytes());
            List<Digest> garbage = List.of(orphan, otherOrphan, droppedDigest, droppedLayer, droppedConfig);

            for (Digest d : List.of(child, indexDigest, layer)) {
                age(d);
            }
            garbage.forEach(d -> {
                try {
                    age(d);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // an upload in progress is never touched
            String location = registry.send("POST", "/v2/gc/app/blobs/uploads/", null)
                    .headers().firstValue("Location").orElseThrow();
            registry.send("PATCH", location, "in flight".getBytes());

            GarbageCollector.Result dry = new GarbageCollector(root).run(true);
            assertThat(dry.deleted()).containsExactlyInAnyOrderElementsOf(garbage);
            assertThat(Files.exists(blob(orphan))).isTrue();

            GarbageCollector.Result result = new GarbageCollector(root).run(false);
            assertThat(result.deleted()).containsExactlyInAnyOrderElementsOf(garbage);
            assertThat(Files.exists(blob(orphan))).isFalse();
            assertThat(Files.exists(blob(droppedLayer))).isFalse();
            assertThat(Files.exists(blob(otherOrphan))).isFalse();
            for (Digest kept : List.of(child, indexDigest, layer)) {
                assertThat(Files.exists(blob(kept))).isTrue();
            }
            assertThat(registry.send("GET", "/v2/gc/app/manifests/latest", null).statusCode()).isEqualTo(200);
            assertThat(registry.send("GET", "/v2/gc/app/blobs/" + layer, null).statusCode()).isEqualTo(200);
            assertThat(registry.send("HEAD", "/v2/gc/app/blobs/" + orphan, null).statusCode()).isEqualTo(404);
            assertThat(Files.exists(root.resolve("repositories/gc/app/_links/sha256").resolve(orphan.hex()))).isFalse();
            assertThat(registry.send("GET", location, null).statusCode()).isEqualTo(204);
            Digest inFlight = Digest.sha256("in flight".getBytes());
            assertThat(registry.send("PUT", location + "?digest=" + inFlight, null).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void aBlobLinkedAfterTheMarkBeganSurvives() throws Exception {
        try (TestRegistry registry = TestRegistry.open(root)) {
            Digest blob = registry.pushBlob("gc/source", "shared base".getBytes());
            age(blob);
            // mounting it into another repository refreshes its time, as a manifest push would
            assertThat(registry.send("POST", "/v2/gc/target/blobs/uploads/?mount=" + blob + "&from=gc/source", null)
                    .statusCode()).isEqualTo(201);
            assertThat(new GarbageCollector(root).run(false).deleted()).doesNotContain(blob);
            assertThat(Files.exists(blob(blob))).isTrue();
        }
    }

    @Test
    void referrersAreKeptWithTheirSubject() throws Exception {
        try (TestRegistry registry = TestRegistry.open(root)) {
            byte[] image = registry.imageManifest("gc/ref", MediaTypes.OCI_MANIFEST, "subject");
            Digest subject = registry.pushManifest("gc/ref", "v1", MediaTypes.OCI_MANIFEST, image);
            Digest config = registry.pushBlob("gc/ref", "{}".getBytes());
            Digest sig = registry.pushBlob("gc/ref", "sig".getBytes());
            byte[] referrer = Json.canonicalBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                    "config", TestRegistry.descriptor("application/vnd.oci.empty.v1+json", config, 2),
                    "layers", List.of(TestRegistry.descriptor("application/octet-stream", sig, 3)),
                    "subject", TestRegistry.descriptor(MediaTypes.OCI_MANIFEST, subject, image.length)));
            Digest ref = registry.pushManifest("gc/ref", Digest.sha256(referrer).toString(), MediaTypes.OCI_MANIFEST,
                    referrer);
            for (Digest d : List.of(subject, config, sig, ref)) {
                age(d);
            }
            assertThat(new GarbageCollector(root).run(false).deleted()).isEmpty();
        }
    }
}
