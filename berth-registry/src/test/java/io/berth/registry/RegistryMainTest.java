package io.berth.registry;

import io.berth.oci.Digest;
import io.berth.registry.server.RegistryConfig;
import io.berth.registry.server.RegistryServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryMainTest {
    @Test
    void gcCommandDeletesUnreferencedBlobs(@TempDir Path root) throws Exception {
        byte[] content = "unreferenced".getBytes();
        Digest digest = Digest.sha256(content);
        try (RegistryServer server = RegistryServer.start(RegistryConfig.loopback(root))) {
            HttpResponse<Void> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create(server.baseUri() + "/v2/main/app/blobs/uploads/?digest=" + digest))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(201);
        }
        Path blob = root.resolve("blobs/sha256").resolve(digest.hex());
        Files.setLastModifiedTime(blob, FileTime.from(Instant.now().minusSeconds(60)));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            assertThat(RegistryMain.run(new String[] {"gc", "--root", root.toString(), "--dry-run"})).isZero();
            assertThat(Files.exists(blob)).isTrue();
            assertThat(RegistryMain.run(new String[] {"gc", "--root", root.toString()})).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString()).contains("would delete " + digest).contains("deleted " + digest);
        assertThat(Files.exists(blob)).isFalse();
    }

    @Test
    void badArgumentsAreExplained() {
        assertThatThrownBy(() -> RegistryMain.run(new String[] {"serve"})).hasMessageContaining("--root is required");
        assertThatThrownBy(() -> RegistryMain.run(new String[] {"frobnicate"})).hasMessageContaining("unknown command");
        assertThatThrownBy(() -> RegistryMain.run(new String[] {"gc", "--root"})).hasMessageContaining("needs a value");
    }
}
