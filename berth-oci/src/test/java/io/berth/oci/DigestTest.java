package io.berth.oci;

import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestTest {
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void hashesKnownStrings() {
        assertThat(Digest.sha256(new byte[0]).toString()).isEqualTo("sha256:" + EMPTY_SHA256);
        assertThat(Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII)).hex()).isEqualTo(ABC_SHA256);
    }

    @Test
    void parsesAndPrints() {
        Digest d = Digest.parse("sha256:" + ABC_SHA256);
        assertThat(d.algorithm()).isEqualTo("sha256");
        assertThat(d.toString()).isEqualTo("sha256:" + ABC_SHA256);
        assertThat(d.shortId()).isEqualTo("ba7816bf8f01");
        assertThat(Digest.parse("sha512:" + "a".repeat(128)).hex()).hasSize(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "sha256", "sha256:", ":abc", "md5:" + ABC_SHA256,
            "sha256:" + "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
            "sha256:../../../../etc/passwd", "sha256:" + ABC_SHA256 + "/", "sha256:" + ABC_SHA256 + "0",
            "sha256:gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg", "sha512:" + ABC_SHA256, "sha256: " + ABC_SHA256})
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> Digest.parse(text)).isInstanceOf(InvalidArgumentException.class);
        assertThat(Digest.isValid(text)).isFalse();
    }

    @Test
    void aStreamComputesTheSameDigest() throws IOException {
        byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
        var in = new DigestingInputStream(new ByteArrayInputStream(data));
        assertThat(in.readAllBytes()).isEqualTo(data);
        assertThat(in.digest().hex()).isEqualTo(ABC_SHA256);
        assertThat(in.count()).isEqualTo(3);
    }

    @Test
    void serialisesAsString() {
        Digest d = Digest.parse("sha256:" + ABC_SHA256);
        assertThat(Json.toString(d)).isEqualTo("\"sha256:" + ABC_SHA256 + "\"");
        assertThat(Json.read(("\"sha256:" + ABC_SHA256 + "\"").getBytes(StandardCharsets.UTF_8), Digest.class))
                .isEqualTo(d);
        assertThatThrownBy(() -> Json.read("\"sha256:zz\"".getBytes(StandardCharsets.UTF_8), Digest.class))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("invalid JSON in Digest: ");
    }
}
