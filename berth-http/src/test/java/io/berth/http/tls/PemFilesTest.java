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

    private void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
