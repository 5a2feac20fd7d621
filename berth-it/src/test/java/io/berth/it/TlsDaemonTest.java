package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.berth.daemon.http.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real berthd on a Unix socket and on a TCP port with TLS and client certificates (-H twice, --tlsverify), driven
 * by the docker CLI and the berth CLI as a remote user would: DOCKER_HOST=tcp://, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH.
 * Certificates are made by openssl for the test.
 */
@Tag("privileged")
class TlsDaemonTest {
    static BerthdProcess daemon;
    static Path certDir;
    static TestCertificates certs;
    static int port;

    @BeforeAll
    static void up() throws Exception {
        StaleTestState.clearOnce();
        Path root = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-tls-");
        certDir = Files.createDirectory(root.resolve("certs"));
        certs = TestCertificates.make(certDir);
        port = freePort();
        daemon = new BerthdProcess(root).withArgs("-H", "tcp://127.0.0.1:" + port, "--tlsverify",
                "--tlscacert", certs.ca().toString(), "--tlscert", certs.serverCert().toString(),
                "--tlskey", certs.serverKey().toString()).start();
        daemon.cli("image", "make-busybox", "busybox:latest").orFail();
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    /** The docker CLI's environment for the TLS port, with the client certificate in DOCKER_CERT_PATH. */
    private static Map<String, String> tlsEnv(Path certPath) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", "tcp://127.0.0.1:" + port);
        env.put("DOCKER_TLS_VERIFY", "1");
        env.put("DOCKER_CERT_PATH", certPath.toString());
        env.put("BERTH_HOST", "");
        return env;
    }

    @Test
    void theDockerCliWorksOverTlsWithItsClientCertificate() throws Exception {
        Map<String, String> env = tlsEnv(certDir);
        assertThat(BerthdProcess.dockerWith(env, null, "version", "--format", "{{.Server.APIVersion}}").orFail().out())
                .isEqualTo("1.43");
        BerthdProcess.dockerWith(env, null, "ps").orFail();
        assertThat(BerthdProcess.dockerWith(env, null, "run", "--rm", "busybox", "echo", "hi").orFail().out()).isEqualTo("hi");
        // stdin reaches the container and its end is seen through TLS (the CLI half-closes the hijacked stream)
        // (under 32 KiB: larger stdin through the docker CLI is issue 12's own item, whatever the transport)
        byte[] input = "line one\nline two\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        Cmd.Result cat = BerthdProcess.dockerWith(env, input, "run", "--rm", "-i", "busybox", "sh", "-c", "wc -c");
        assertThat(cat.orFail().out()).isEqualTo(Integer.toString(input.length));
        // the Unix socket of the same daemon still answers
        assertThat(daemon.docker("version", "--format", "{{.Server.APIVersion}}").orFail().out()).isEqualTo("1.43");
    }

    @Test
    void theBerthCliWorksOverTlsFromTheEnvironmentAndFromFlags() throws Exception {
        assertThat(BerthdProcess.cliWith(tlsEnv(certDir), null, "run", "--rm", "busybox", "echo", "over tls").orFail().out())
                .isEqualTo("over tls");
        Map<String, String> none = Map.of("BERTH_HOST", "", "DOCKER_HOST", "", "DOCKER_TLS_VERIFY", "", "DOCKER_CERT_PATH",
                "/nonexistent");
        BerthdProcess.cliWith(none, null, "-H", "tcp://127.0.0.1:" + port, "--tlsverify", "--tlscacert", certs.ca().toString(),
                "--tlscert", certs.clientCert().toString(), "--tlskey", certs.clientKey().toString(), "ps").orFail();
        // --tls alone: encrypted, the daemon's certificate not checked (docker's InsecureSkipVerify)
        BerthdProcess.cliWith(none, null, "-H", "tcp://127.0.0.1:" + port, "--tls", "--tlscert", certs.clientCert().toString(),
                "--tlskey", certs.clientKey().toString(), "version").orFail();
        byte[] input = "x".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        Cmd.Result cat = BerthdProcess.cliWith(tlsEnv(certDir), input, "run", "--rm", "-i", "busybox", "sh", "-c", "wc -c");
        assertThat(cat.orFail().out()).isEqualTo("20000");
    }

    @Test
    void dockerPyFromEnvWorksOverTls() throws Exception {
        String script = "import docker\n"
                + "c = docker.from_env()\n"
                + "print(c.ping(), c.version()['ApiVersion'], [t for i in c.images.list() for t in i.tags])\n";
        Map<String, String> env = tlsEnv(certDir);
        // requests lets these variables override the CA docker-py sets on its session (psf/requests#3829); a machine
        // that exports them (this one does) would have docker-py check berthd against the system's CAs
        env.put("REQUESTS_CA_BUNDLE", "");
        env.put("CURL_CA_BUNDLE", "");
        Cmd.Result py = Cmd.run(List.of("python3", "-c", script), env, null, Duration.ofSeconds(60));
        assertThat(py.orFail().out()).isEqualTo("True 1.43 ['busybox:latest']");
    }

    @Test
    void aClientWithoutACertificateOrWithAStrangersIsRefused() throws Exception {
        Path caOnly = Files.createDirectories(certDir.resolve("ca-only"));
        Files.copy(certs.ca(), caOnly.resolve("ca.pem"));
        Cmd.Result docker = BerthdProcess.dockerWith(tlsEnv(caOnly), null, "ps");
        assertThat(docker.exitCode()).isNotZero();
        assertThat(docker.stderr()).contains("tls");
        Cmd.Result berth = BerthdProcess.cliWith(tlsEnv(caOnly), null, "ps");
        assertThat(berth.exitCode()).isNotZero();
        assertThat(berth.stderr()).contains("refused the TLS connection");

        Path stranger = Files.createDirectories(certDir.resolve("stranger"));
        Files.copy(certs.ca(), stranger.resolve("ca.pem"));
        Files.copy(certs.strangerCert(), stranger.resolve("cert.pem"));
        Files.copy(certs.strangerKey(), stranger.resolve("key.pem"));
        assertThat(BerthdProcess.dockerWith(tlsEnv(stranger), null, "ps").exitCode()).isNotZero();
        // nothing ran for them
        assertThat(daemon.docker("ps", "-aq").orFail().out()).isEmpty();
    }

    @Test
    void plainHttpToTheTlsPortIsToldSo() throws Exception {
        Cmd.Result curl = Cmd.run(List.of("curl", "-sS", "-m", "10", "http://127.0.0.1:" + port + "/_ping"), Map.of(), null,
                Duration.ofSeconds(20));
        assertThat(curl.stdout()).isEqualTo("Client sent an HTTP request to an HTTPS server.\n");
        Cmd.Result plainDocker = BerthdProcess.dockerWith(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + port), null, "ps");
        assertThat(plainDocker.exitCode()).isNotZero();
    }

    @Test
    void plainTcpOnEveryInterfaceIsRefusedAtStart() throws Exception {
        Path root = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-tls-refused-");
        BerthdProcess refused = new BerthdProcess(root).withArgs("-H", "tcp://0.0.0.0:2375");
        try {
            assertThat(refused.startExpectingExit()).isNotZero();
        } finally {
            refused.close();
        }
        assertThat(Files.readString(refused.log)).contains("berthd: refusing to listen on tcp://0.0.0.0:2375 without --tlsverify");
        assertThat(Files.exists(refused.socket)).isFalse();
        Cmd.run(List.of("rm", "-rf", root.toString()), Map.of(), null, Duration.ofSeconds(30));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
