package io.berth.registry.client;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageIndex;
import io.berth.oci.MediaTypes;
import io.berth.oci.Platform;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestSelectionTest {
    private static Descriptor entry(String mediaType, char fill, Platform platform) {
        return Descriptor.of(mediaType, new Digest("sha256", String.valueOf(fill).repeat(64)), 100)
                .withPlatform(platform);
    }

    @Test
    void picksTheMatchingPlatformAndSkipsAttestations() {
        ImageIndex index = ImageIndex.oci(List.of(
                entry(MediaTypes.OCI_MANIFEST, 'a', new Platform("arm", "linux", null, null, "v7")),
                entry(MediaTypes.OCI_MANIFEST, 'e', Platform.of("unknown", "unknown")),
                entry(MediaTypes.OCI_INDEX, 'f', Platform.of("linux", "amd64")),
                entry(MediaTypes.OCI_MANIFEST, 'b', Platform.of("linux", "amd64")),
                entry(MediaTypes.OCI_MANIFEST, 'c', new Platform("arm64", "linux", null, null, "v8"))));
        assertThat(PlatformSelector.select(index, Platform.of("linux", "amd64")).digest().hex()).startsWith("b");
        assertThat(PlatformSelector.select(index, Platform.of("linux", "arm64")).digest().hex()).startsWith("c");
        assertThat(PlatformSelector.select(index, new Platform("arm", "linux", null, null, "v7")).digest().hex())
                .startsWith("a");
        assertThatThrownBy(() -> PlatformSelector.select(index, Platform.of("windows", "amd64")))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("no matching manifest for windows/amd64 in the manifest list entries");
    }

    @Test
    void identifiesDocumentsByHeaderBodyOrShape() {
        byte[] index = "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThat(ManifestDocument.of(index, "application/json", "x").mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        byte[] docker = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                + "\",\"config\":{},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        assertThat(ManifestDocument.of(docker, null, "x").mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        ManifestDocument byHeader = ManifestDocument.of(docker, MediaTypes.DOCKER_MANIFEST + "; charset=utf-8", "x");
        assertThat(byHeader.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(byHeader.digest()).isEqualTo(Digest.sha256(docker));
        assertThat(ManifestDocument.ACCEPT).contains(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST);
    }

    @Test
    void refusesSchema1AndUnknownTypes() {
        byte[] schema1 = "{\"schemaVersion\":1,\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ManifestDocument.of(schema1, "application/vnd.docker.distribution.manifest.v1+prettyjws", "m"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("schema 1");
        assertThatThrownBy(() -> ManifestDocument.of("{}".getBytes(StandardCharsets.UTF_8), "text/plain", "m"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unsupported media type");
    }

    @Test
    void registryErrorsAreWordedLikeDocker() {
        RegistryError error = RegistryError.parse(404, ("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\","
                + "\"message\":\"manifest unknown\"}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(error.getMessage()).isEqualTo("manifest unknown: manifest unknown");
        assertThat(error.code()).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(error.toException("manifest for x:1")).isInstanceOf(NotFoundException.class)
                .hasMessage("manifest for x:1: manifest unknown: manifest unknown");
        assertThat(RegistryError.parse(401, "<html>".getBytes(StandardCharsets.UTF_8)).getMessage())
                .isEqualTo("unauthorized: authentication required");
    }
}
