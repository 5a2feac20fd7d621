package io.berth.registry.client;

import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InsecureRegistriesTest {
    private final InsecureRegistries insecure = new InsecureRegistries(
            List.of("myreg.example:5000", "http://plain.example/", "10.20.0.0/16", "fd00::/8"));

    @Test
    void loopbackIsAlwaysInsecure() {
        InsecureRegistries none = new InsecureRegistries(List.of());
        assertThat(none.isInsecure("localhost:5000")).isTrue();
        assertThat(none.isInsecure("127.0.0.1:41234")).isTrue();
        assertThat(none.isInsecure("127.8.9.10")).isTrue();
        assertThat(none.isInsecure("[::1]:5000")).isTrue();
        assertThat(none.isInsecure("registry-1.docker.io")).isFalse();
    }

    @Test
    void namesAndCidrsMatch() {
        assertThat(insecure.isInsecure("myreg.example:5000")).isTrue();
        assertThat(insecure.isInsecure("myreg.example:5001")).isFalse();
        assertThat(insecure.isInsecure("plain.example:8080")).isTrue();
        assertThat(insecure.isInsecure("10.20.3.4:5000")).isTrue();
        assertThat(insecure.isInsecure("10.21.3.4:5000")).isFalse();
        assertThat(insecure.isInsecure("[fd12::1]:5000")).isTrue();
    }

    @Test
    void endpointsPickSchemeAndDockerHubHost() {
        assertThat(RegistryEndpoint.of("docker.io", insecure).base().toString()).isEqualTo("https://registry-1.docker.io");
        assertThat(RegistryEndpoint.of("10.20.1.1:5000", insecure).base().toString()).isEqualTo("http://10.20.1.1:5000");
        assertThat(RegistryEndpoint.of("localhost:5000", insecure).resource("a/b", "manifests", "latest").toString())
                .isEqualTo("http://localhost:5000/v2/a/b/manifests/latest");
    }

    @Test
    void badCidrsAreRefused() {
        assertThatThrownBy(() -> new InsecureRegistries(List.of("10.0.0.0/40")))
                .isInstanceOf(InvalidArgumentException.class);
    }
}
