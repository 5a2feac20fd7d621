package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docker CLI's TLS settings from flags and DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH. */
class ClientTlsTest {
    @TempDir
    Path certs;

    @Test
    void offUnlessAskedFor() {
        assertThat(ClientTls.resolve(null, null, null, null, null, Map.of("DOCKER_CERT_PATH", certs.toString()))).isNull();
        assertThat(ClientTls.resolve(null, null, null, null, null, Map.of("DOCKER_TLS_VERIFY", ""))).isNull();
        assertThat(ClientTls.resolve(false, null, null, null, null, Map.of())).isNull();
    }

    @Test
    void dockerTlsVerifyTakesTheFilesFromTheCertPath() throws Exception {
        Files.writeString(certs.resolve("cert.pem"), "x");
        Files.writeString(certs.resolve("key.pem"), "x");
        ClientTls tls = ClientTls.resolve(null, null, null, null, null,
                Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString()));
        assertThat(tls).isEqualTo(new ClientTls(certs.resolve("ca.pem"), certs.resolve("cert.pem"), certs.resolve("key.pem")));
        assertThat(tls.verifiesServer()).isTrue();
        // over a Unix socket TLS does not apply; over TCP it does
        Map<String, String> env = Map.of("DOCKER_HOST", "tcp://127.0.0.1:2376");
        assertThat(DockerHost.resolve(null, env, tls)).isEqualTo(new DockerHost.Tcp("127.0.0.1", 2376, tls));
        assertThat(DockerHost.resolve("unix:///x.sock", env, tls)).isEqualTo(new DockerHost.Unix(Path.of("/x.sock")));
    }

    @Test
    void absentDefaultClientFilesAreLeftOutAndFlagsWin() {
        ClientTls tls = ClientTls.resolve(null, true, Path.of("/a/ca.pem"), null, null, Map.of("DOCKER_CERT_PATH", certs.toString()));
        assertThat(tls).isEqualTo(new ClientTls(Path.of("/a/ca.pem"), null, null));
        // --tlsverify=false still means TLS, without checking the daemon (docker's rule); so does --tls alone
        assertThat(ClientTls.resolve(null, false, null, null, null, Map.of("DOCKER_TLS_VERIFY", "1")).verifiesServer()).isFalse();
        assertThat(ClientTls.resolve(true, null, null, Path.of("/c.pem"), Path.of("/k.pem"), Map.of()))
                .isEqualTo(new ClientTls(null, Path.of("/c.pem"), Path.of("/k.pem")));
        assertThat(ClientTls.resolve(null, null, null, null, null, Map.of("DOCKER_TLS", "1"))).isNotNull();
    }
}
