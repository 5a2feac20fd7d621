package io.berth.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.client.RegistryAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void locatesTheFileFromTheEnvironment() {
        assertThat(DockerConfigFile.locate(Map.of("DOCKER_CONFIG", "/cfg", "HOME", "/home/u"))).isEqualTo(Path.of("/cfg/config.json"));
        assertThat(DockerConfigFile.locate(Map.of("HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.docker/config.json"));
    }

    @Test
    void missingFileHasNoCredentials() {
        DockerConfigFile config = DockerConfigFile.load(Map.of("DOCKER_CONFIG", dir.resolve("none").toString()));
        assertThat(config.credentials("localhost:5000")).isEmpty();
        assertThat(config.authFor(RepositoryName.parse("busybox"))).isEqualTo(RegistryAuth.NONE);
    }

    @Test
    void storesCredentialsKeepingOtherKeysWithMode0600() throws Exception {
        Path cfgDir = dir.resolve("cfg");
        Files.createDirectories(cfgDir);
        Path file = cfgDir.resolve("config.json");
        Files.writeString(file, "{\"psFormat\":\"table {{.ID}}\",\"auths\":{\"other:1\":{\"auth\":\"eDp5\"}}}");
        DockerConfigFile config = DockerConfigFile.load(Map.of("DOCKER_CONFIG", cfgDir.toString()));
        config.store(new RegistryAuth("alice", "pa:ss", "localhost:5000"));
        config.save();

        JsonNode saved = new ObjectMapper().readTree(file.toFile());
        assertThat(saved.path("psFormat").asText()).isEqualTo("table {{.ID}}");
        assertThat(saved.path("auths").path("localhost:5000").path("auth").asText()).isEqualTo("YWxpY2U6cGE6c3M=");
        assertThat(saved.path("auths").path("other:1").path("auth").asText()).isEqualTo("eDp5");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("\n\t\"auths\": {");
        try (var files = Files.list(cfgDir)) {
            assertThat(files).containsExactly(file);
        }

        DockerConfigFile again = DockerConfigFile.load(file);
        assertThat(again.credentials("localhost:5000")).contains(new RegistryAuth("alice", "pa:ss", "localhost:5000", ""));
        assertThat(again.authFor(RepositoryName.parse("localhost:5000/a/b:1")).header())
                .isEqualTo(new RegistryAuth("alice", "pa:ss", "localhost:5000").header());
        assertThat(again.credentials("other:1")).contains(new RegistryAuth("x", "y", "other:1", ""));
    }

    @Test
    void createsTheDirectoryAndErases() throws Exception {
        Path file = dir.resolve("new/config.json");
        DockerConfigFile config = DockerConfigFile.load(file);
        config.store(new RegistryAuth("bob", "pw", RegistryAddress.INDEX_SERVER));
        config.save();
        DockerConfigFile loaded = DockerConfigFile.load(file);
        assertThat(loaded.authFor(RepositoryName.parse("busybox")).username()).isEqualTo("bob");
        assertThat(loaded.erase(RegistryAddress.INDEX_SERVER)).isTrue();
        assertThat(loaded.erase(RegistryAddress.INDEX_SERVER)).isFalse();
        loaded.save();
        assertThat(new ObjectMapper().readTree(file.toFile()).path("auths").isEmpty()).isTrue();
    }

    @Test
    void legacyKeysWithSchemeMatchTheirHost() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"auths\":{\"https://reg.example:8443/v2/\":{\"auth\":\"dTpw\",\"identitytoken\":\"t\"}}}");
        assertThat(DockerConfigFile.load(file).credentials("reg.example:8443"))
                .contains(new RegistryAuth("u", "p", "reg.example:8443", "t"));
    }

    @Test
    void symlinkedFileIsReplacedAtItsTarget() throws Exception {
        Path real = dir.resolve("real.json");
        Files.writeString(real, "{}");
        Path link = dir.resolve("config.json");
        Files.createSymbolicLink(link, real);
        DockerConfigFile config = DockerConfigFile.load(link);
        config.store(new RegistryAuth("u", "p", "h:1"));
        config.save();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).contains("\"h:1\"");
    }

    @Test
    void brokenFileIsAnError() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> DockerConfigFile.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loading config file");
    }
}
