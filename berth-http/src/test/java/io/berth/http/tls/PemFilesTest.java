package io.berth.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys as OpenSSL writes them: PKCS#8 (OpenSSL 3) and PKCS#1 RSA (OpenSSL 1.1's genrsa, Docker's TLS guide). */
class PemFilesTest {
    @TempDir
    Path dir;

    @Test
    void aPkcs1RsaKeyReadsAsTheSameKeyInPkcs8() throws Exception {
        Path pkcs1 = dir.resolve("rsa1.pem");
        Path pkcs8 = dir.resolve("rsa8.pem");
        openssl("genrsa", "-traditional", "-out", pkcs1.toString(), "2048");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", pkcs1.toString(), "-out", pkcs8.toString());
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PemFiles.privateKey(pkcs1).getEncoded()).isEqualTo(PemFiles.privateKey(pkcs8).getEncoded());
    }

    @Test
    void anEncryptedKeyIsRefusedWithHowToConvert() throws Exception {
        Path encrypted = dir.resolve("enc.pem");
        openssl("genpkey", "-algorithm", "RSA", "-aes256", "-pass", "pass:x", "-out", encrypted.toString());
        assertThatThrownBy(() -> PemFiles.privateKey(encrypted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no unencrypted");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedBeforeAnyHandshake() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path other = dir.resolve("other.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=x", "-keyout", key.toString(),
                "-out", cert.toString());
        openssl("genpkey", "-algorithm", "RSA", "-out", other.toString());
        TlsContexts.server(cert, key, null);
        assertThatThrownBy(() -> TlsContexts.server(cert, other, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match the public key of certificate");
        Path ec = dir.resolve("ec.pem");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ec.toString());
        assertThatThrownBy(() -> TlsContexts.client(null, cert, ec)).hasMessageContaining("does not match");
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
