package io.berth.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Digest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static io.berth.registry.server.TestRegistry.descriptor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Debian's skopeo copies a multi-platform OCI image into berth registry and back; every digest survives. */
@Tag("privileged")
class SkopeoCopyTest {
    private static final Path SKOPEO = Path.of("/usr/bin/skopeo");

    @TempDir
    Path dir;

    @Test
    void multiPlatformImageRoundTripsWithDigestsUnchanged() throws Exception {
        assumeTrue(Files.isExecutable(SKOPEO), "skopeo is not installed");
        Path source = dir.resolve("source");
        Digest indexDigest = writeLayout(source);
        try (TestRegistry registry = TestRegistry.open(dir.resolve("root"))) {
            String remote = "docker://127.0.0.1:" + registry.server.port() + "/skopeo/multi:v1";
            skopeo("copy", "--all", "--preserve-digests", "--dest-tls-verify=false", "oci:" + source + ":v1", remote);

            var head = registry.send("HEAD", "/v2/skopeo/multi/manifests/v1", null,
                    "Accept", MediaTypes.OCI_INDEX);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(indexDigest.toString());

            Path back = dir.resolve("back");
            skopeo("copy", "--all", "--preserve-digests", "--src-tls-verify=false", remote, "oci:" + back + ":v1");
            JsonNode index = Json.mapper().readTree(back.resolve("index.json").toFile());
            assertThat(index.path("manifests").path(0).path("digest").asText()).isEqualTo(indexDigest.toString());
            try (var blobs = Files.list(source.resolve("blobs/sha256"))) {
                for (Path blob : blobs.toList()) {
                    Path copy = back.resolve("blobs/sha256").resolve(blob.getFileName());
                    assertThat(copy).exists();
                    assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(blob));
                }
            }
        }
    }

    private static void skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SKOPEO.toString(), "--insecure-policy"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    }

    /** An OCI layout with one tag pointing at an index of an amd64 and an arm64 image; returns the index digest. */
    private static Digest writeLayout(Path layout) throws Exception {
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<Map<String, Object>> platforms = new ArrayList<>();
        for (String arch : List.of("amd64", "arm64")) {
            byte[] layer = gzippedTar("hello-" + arch + ".txt", ("hello from " + arch + "\n").getBytes());
            Digest layerDigest = write(layout, layer);
            byte[] config = Json.canonicalBytes(Map.of("architecture", arch, "os", "linux",
                    "rootfs", Map.of("type", "layers", "diff_ids", List.of(Digest.sha256(
                            tar("hello-" + arch + ".txt", ("hello from " + arch + "\n").getBytes())).toString())),
                    "config", Map.of()));
            Digest configDigest = write(layout, config);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
            manifest.put("config", descriptor(MediaTypes.OCI_CONFIG, configDigest, config.length));
            manifest.put("layers", List.of(descriptor(MediaTypes.OCI_LAYER_TAR_GZIP, layerDigest, layer.length)));
            byte[] manifestBytes = Json.canonicalBytes(manifest);
            Map<String, Object> entry = descriptor(MediaTypes.OCI_MANIFEST, write(layout, manifestBytes),
                    manifestBytes.length);
            entry.put("platform", Map.of("architecture", arch, "os", "linux"));
            platforms.add(entry);
        }
        byte[] imageIndex = Json.canonicalBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_INDEX,
                "manifests", platforms));
        Digest indexDigest = write(layout, imageIndex);
        Map<String, Object> tagged = descriptor(MediaTypes.OCI_INDEX, indexDigest, imageIndex.length);
        tagged.put("annotations", Map.of("org.opencontainers.image.ref.name", "v1"));
        Files.write(layout.resolve("index.json"), Json.canonicalBytes(Map.of("schemaVersion", 2,
                "mediaType", MediaTypes.OCI_INDEX, "manifests", List.of(tagged))));
        return indexDigest;
    }

    private static Digest write(Path layout, byte[] blob) throws Exception {
        Digest digest = Digest.sha256(blob);
        Files.write(layout.resolve("blobs/sha256").resolve(digest.hex()), blob);
        return digest;
    }

    private static byte[] tar(String name, byte[] content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(content.length);
            entry.setModTime(0);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] gzippedTar(String name, byte[] content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(tar(name, content));
        }
        return bytes.toByteArray();
    }
}
