package io.berth.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChunkPipeTest {
    @Test
    void theReaderGetsEveryByteInOrderWhileBuffersAreReused() throws Exception {
        ChunkPipe pipe = new ChunkPipe(4);
        byte[] data = new byte[3_000_000];
        new Random(7).nextBytes(data);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = pipe.reader()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[5000];
                int n;
                while ((n = in.read(buf, 0, buf.length)) >= 0) {
                    md.update(buf, 0, n);
                }
                return md.digest();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Chunks of changing sizes: a recycled buffer too small for the next chunk must not be used.
        byte[] source = data.clone();
        for (int at = 0, size = 1; at < data.length; at += size, size = size * 3 % 131_072 + 1) {
            int n = Math.min(size, data.length - at);
            assertThat(pipe.write(source, at, n)).isTrue();
            // the writer's array is its own again at once: scribbling on it must not reach the reader
            java.util.Arrays.fill(source, at, at + n, (byte) 0);
        }
        pipe.finish();
        assertThat(read.get()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void aClosedReaderReleasesTheWriterAndAFailedWriterFailsTheReader() throws Exception {
        ChunkPipe full = new ChunkPipe(1);
        assertThat(full.write(new byte[] {1}, 0, 1)).isTrue();
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return full.write(new byte[] {2}, 0, 1);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        full.closeReader();
        assertThat(blocked.get()).isFalse();

        ChunkPipe failing = new ChunkPipe(2);
        failing.write(new byte[] {1, 2}, 0, 2);
        failing.fail();
        assertThatThrownBy(() -> failing.reader().read()).isInstanceOf(IOException.class).hasMessageContaining("abandoned");
    }
}
