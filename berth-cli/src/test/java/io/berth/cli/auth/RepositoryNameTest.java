package io.berth.cli.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepositoryNameTest {

    @Test
    void registryHostOfAReference() {
        assertThat(RepositoryName.parse("busybox").domain()).isEqualTo("docker.io");
        assertThat(RepositoryName.parse("busybox:1.36").domain()).isEqualTo("docker.io");
        assertThat(RepositoryName.parse("user/app").domain()).isEqualTo("docker.io");
        assertThat(RepositoryName.parse("localhost:5000/a/b").domain()).isEqualTo("localhost:5000");
        assertThat(RepositoryName.parse("localhost:5000/a/b:tag").domain()).isEqualTo("localhost:5000");
        assertThat(RepositoryName.parse("localhost/app").domain()).isEqualTo("localhost");
        assertThat(RepositoryName.parse("host.example/x").domain()).isEqualTo("host.example");
        assertThat(RepositoryName.parse("host.example/x@sha256:ab").domain()).isEqualTo("host.example");
        assertThat(RepositoryName.parse("index.docker.io/library/busybox").domain()).isEqualTo("docker.io");
    }

    @Test
    void familiarAndFullNames() {
        assertThat(RepositoryName.parse("busybox")).isEqualTo(new RepositoryName("docker.io", "library/busybox"));
        assertThat(RepositoryName.parse("busybox").familiar()).isEqualTo("busybox");
        assertThat(RepositoryName.parse("docker.io/library/busybox:1").familiar()).isEqualTo("busybox");
        assertThat(RepositoryName.parse("busybox").full()).isEqualTo("docker.io/library/busybox");
        assertThat(RepositoryName.parse("user/app").familiar()).isEqualTo("user/app");
        assertThat(RepositoryName.parse("library/a/b").familiar()).isEqualTo("library/a/b");
        assertThat(RepositoryName.parse("localhost:5000/a/b:1").familiar()).isEqualTo("localhost:5000/a/b");
        assertThat(RepositoryName.parse("localhost:5000/a/b").full()).isEqualTo("localhost:5000/a/b");
    }

    @Test
    void credentialKeys() {
        assertThat(RepositoryName.parse("busybox").credentialKey()).isEqualTo("https://index.docker.io/v1/");
        assertThat(RepositoryName.parse("localhost:5000/a/b").credentialKey()).isEqualTo("localhost:5000");
        assertThat(RegistryAddress.serverOf(null)).isEqualTo("https://index.docker.io/v1/");
        assertThat(RegistryAddress.serverOf("docker.io")).isEqualTo("https://index.docker.io/v1/");
        assertThat(RegistryAddress.credentialKey("https://registry.example:443/v2/")).isEqualTo("registry.example:443");
        assertThat(RegistryAddress.credentialKey("localhost:5000")).isEqualTo("localhost:5000");
        assertThat(RegistryAddress.hostname("http://h/x/y")).isEqualTo("h");
    }
}
