package io.berth.registry.client;

import com.github.luben.zstd.ZstdInputStream;
import io.berth.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class LayerCompressorTest {
    @TempDir
    Path tmp;

    /** Text-like content spanning several blocks, with a partial last block. */
    private Path layer() throws Exception {
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        while (text.length() < 3 * LayerCompressor.BLOCK + 12345) {
            text.append("line ").append(random.nextInt(100_000)).append(" of a layer's file\n");
        }
        Path layer = tmp.resolve("layer.tar");
        Files.writeString(layer, text, StandardCharsets.UTF_8);
        return layer;
    }

    @Test
    void gzipMembersReadBackWholeAreDeterministicAndAsSmallAsOneMemberGzip6() throws Exception {
        Path layer = layer();
        byte[] original = Files.readAllBytes(layer);
        LayerCompressor.Compressed first = LayerCompressor.compress(layer, PushCompression.GZIP, tmp.resolve("out"));
        LayerCompressor.Compressed second = LayerCompressor.compress(layer, PushCompression.GZIP, tmp.resolve("out"));

        byte[] compressed = Files.readAllBytes(first.file());
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(in.readAllBytes()).isEqualTo(original);
        }
        assertThat(first.digest()).isEqualTo(Digest.sha256(compressed)).isEqualTo(second.digest());
        assertThat(first.size()).isEqualTo(compressed.length);
        ByteArrayOutputStream oneMember = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(oneMember)) {
            gz.write(original);
        }
        assertThat((double) first.size()).isLessThan(oneMember.size() * 1.05);
    }

    @Test
    void randomBlocksAreStoredAndTextBlocksDeflated() throws Exception {
        byte[] random = new byte[LayerCompressor.BLOCK];
        new Random(3).nextBytes(random);
        assertThat(LayerCompressor.incompressible(random)).isTrue();
        assertThat(LayerCompressor.incompressible("text text text\n".repeat(70_000).getBytes(StandardCharsets.UTF_8))).isFalse();

        Path layer = tmp.resolve("random.tar");
        Files.write(layer, random);
        LayerCompressor.Compressed gz = LayerCompressor.compress(layer, PushCompression.GZIP, tmp.resolve("out"));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz.file()))) {
            assertThat(in.readAllBytes()).isEqualTo(random);
        }
        assertThat(gz.size()).isBetween((long) random.length, random.length + 1024L);
    }

    @Test
    void zstdReadsBackWhole() throws Exception {
        Path layer = layer();
        LayerCompressor.Compressed z = LayerCompressor.compress(layer, PushCompression.ZSTD, tmp.resolve("out"));
        try (InputStream in = new ZstdInputStream(Files.newInputStream(z.file()))) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(layer));
        }
        assertThat(z.size()).isLessThan(Files.size(layer) / 2);
    }

    @Test
    void anEmptyLayerIsOneEmptyGzipMember() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.tar"));
        LayerCompressor.Compressed gz = LayerCompressor.compress(empty, PushCompression.GZIP, tmp.resolve("out"));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz.file()))) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void aFailedCompressionLeavesNoFile() throws Exception {
        Path out = tmp.resolve("out-missing");
        try {
            LayerCompressor.compress(tmp.resolve("no-such-layer"), PushCompression.GZIP, out);
        } catch (RuntimeException expected) {
            // the layer is missing
        }
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).isEmpty();
        }
    }
}
