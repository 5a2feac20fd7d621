package io.berth.registry.server;

import io.berth.http.tls.PemFiles;
import io.berth.oci.Digest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS with a self-signed certificate made for the test (openssl, or keytool when openssl is absent). */
class RegistryTlsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void servesOverTlsWithAPemCertificateAndKey(String keyType) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned(keyType, cert, key);
        RegistryConfig config = RegistryConfig.loopback(dir.resolve("root"))
                .withTls(new RegistryConfig.Tls(cert, key));
        try (TestRegistry registry = new TestRegistry(config, trusting(cert))) {
            assertThat(registry.server.baseUri().getScheme()).isEqualTo("https");
            HttpResponse<byte[]> base = registry.send("GET", "/v2/", null);
            assertThat(base.statusCode()).isEqualTo(200);
            assertThat(base.sslSession()).isPresent();
            byte[] content = "over tls".getBytes();
            Digest digest = registry.pushBlob("tls/app", content);
            assertThat(registry.send("GET", "/v2/tls/app/blobs/" + digest, null).body()).isEqualTo(content);
            // a client that does not trust the certificate cannot talk to it
            HttpClient plain = TestRegistry.client();
            assertThatThrownBy(() -> plain.send(java.net.http.HttpRequest.newBuilder(registry.uri("/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding())).isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }

    private static HttpClient trusting(Path certPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        List<Certificate> chain = PemFiles.certificates(certPem);
        trust.setCertificateEntry("registry", chain.getFirst());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private void selfSigned(String keyType, Path cert, Path key) throws Exception {
        if (Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            List<String> command = new java.util.ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key.toString(), "-out", cert.toString()));
            command.addAll(keyType.equals("rsa") ? List.of("-newkey", "rsa:2048")
                    : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
            run(command);
            return;
        }
        Path store = dir.resolve("ks.p12");
        run(List.of("keytool", "-genkeypair", "-keyalg", keyType.equals("rsa") ? "RSA" : "EC", "-alias", "r",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "1"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes());
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(ks.getCertificate("r").getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + mime.encodeToString(ks.getKey("r", "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    }
}
