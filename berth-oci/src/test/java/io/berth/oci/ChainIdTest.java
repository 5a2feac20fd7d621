package io.berth.oci;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChainIdTest {
    private final Digest a = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
    private final Digest b = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));
    private final Digest c = Digest.sha256("c".getBytes(StandardCharsets.UTF_8));

    @Test
    void bottomLayerChainIdIsItsDiffId() {
        assertThat(ChainId.of(List.of(a))).isEqualTo(a);
    }

    @Test
    void followsTheSpecRecursion() {
        Digest ab = Digest.sha256((a + " " + b).getBytes(StandardCharsets.UTF_8));
        Digest abc = Digest.sha256((ab + " " + c).getBytes(StandardCharsets.UTF_8));
        assertThat(ChainId.of(List.of(a, b))).isEqualTo(ab);
        assertThat(ChainId.all(List.of(a, b, c))).containsExactly(a, ab, abc);
    }

    @Test
    void matchesAValueComputedWithSha256sum() {
        // printf 'sha256:<sha256 of "a"> sha256:<sha256 of "b">' | sha256sum
        assertThat(ChainId.of(List.of(a, b)).hex())
                .isEqualTo("51c0c8ace48498d6f5fee6b0592cc06f2da0f3cbe09c5a34a97dce85c3889676");
    }
}
