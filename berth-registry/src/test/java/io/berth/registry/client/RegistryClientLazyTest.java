package io.berth.registry.client;

import io.berth.oci.ImageReference;
import io.berth.store.StoreServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** berthd makes its registry client at start: the HTTP client (TLS, CA certificates) waits for the first registry call. */
class RegistryClientLazyTest {
    @TempDir
    Path tmp;

    @Test
    void theHttpClientIsMadeAtTheFirstRegistryCallNotBefore() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String domain = "127.0.0.1:" + closedPort;
        RegistryClientConfig config = RegistryClientConfig.defaults().withInsecureRegistries(List.of(domain))
                .withCredentials(new CredentialStore(tmp.resolve("docker/config.json")));
        try (RegistryClient client = new RegistryClient(config, StoreServices.open(tmp.resolve("store")))) {
            assertThat(client.connected()).isFalse();
            assertThatThrownBy(() -> client.pull(ImageReference.parse(domain + "/nothing:1"), null, e -> { }));
            assertThat(client.connected()).isTrue();
        }
    }

    @Test
    void aClosedClientRefusesCallsInsteadOfMakingAConnection() throws Exception {
        RegistryClient client = new RegistryClient(RegistryClientConfig.defaults()
                .withCredentials(new CredentialStore(tmp.resolve("docker/config.json"))), StoreServices.open(tmp.resolve("store")));
        client.close();
        assertThatThrownBy(() -> client.pull(ImageReference.parse("127.0.0.1:1/nothing:1"), null, e -> { }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(client.connected()).isFalse();
    }
}
