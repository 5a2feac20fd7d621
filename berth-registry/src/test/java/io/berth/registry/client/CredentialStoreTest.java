package io.berth.registry.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialStoreTest {
    @TempDir
    Path tmp;

    @Test
    void readsDockersFormatWithAnyKeySpelling() throws Exception {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, """
                {"auths": {
                   "https://index.docker.io/v1/": {"auth": "aHViOmh1YnB3"},
                   "http://myreg.example:5000/v2/": {"auth": "dXNlcjpwYTpzcw=="},
                   "other.example": {"username": "u2", "password": "p2"}
                 },
                 "psFormat": "table {{.ID}}"}
                """);
        CredentialStore store = new CredentialStore(file);
        assertThat(store.find("docker.io")).contains(new Credentials("hub", "hubpw"));
        assertThat(store.find("myreg.example:5000")).contains(new Credentials("user", "pa:ss"));
        assertThat(store.find("other.example")).contains(new Credentials("u2", "p2"));
        assertThat(store.find("unknown.example")).isEmpty();
    }

    @Test
    void storesAndRemovesKeepingOtherSettingsAndPrivacy() throws Exception {
        Path file = tmp.resolve("sub/config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"psFormat\":\"x\",\"auths\":{\"localhost:5000\":{\"auth\":\"b2xkOm9sZA==\"}}}");
        CredentialStore store = new CredentialStore(file);
        store.store("http://localhost:5000", new Credentials("new", "pw"));
        store.store("docker.io", new Credentials("hub", "pw2"));
        assertThat(store.find("localhost:5000")).contains(new Credentials("new", "pw"));
        String json = Files.readString(file);
        assertThat(json).contains("\"psFormat\"", "\"https://index.docker.io/v1/\"", "\"localhost:5000\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        assertThat(store.remove("localhost:5000")).isTrue();
        assertThat(store.remove("localhost:5000")).isFalse();
        assertThat(store.find("localhost:5000")).isEmpty();
        assertThat(store.find("index.docker.io")).contains(new Credentials("hub", "pw2"));
    }

    @Test
    void missingFileMeansNoCredentials() {
        assertThat(new CredentialStore(tmp.resolve("none.json")).find("docker.io")).isEmpty();
    }

    @Test
    void honoursDockerConfig() {
        assertThat(CredentialStore.defaultPath(Map.of("DOCKER_CONFIG", "/etc/dc"), "/root"))
                .isEqualTo(Path.of("/etc/dc/config.json"));
        assertThat(CredentialStore.defaultPath(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.docker/config.json"));
    }

    @Test
    void credentialsNeverPrintTheirPassword() {
        assertThat(new Credentials("u", "topsecret").toString()).doesNotContain("topsecret");
    }
}
