package io.berth.registry.client;

import com.github.luben.zstd.ZstdInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class LayerCompressorTest {
    /** Text-like content spanning several blocks, with a partial last block. */
    private static byte[] layer(int blocks) {
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        while (text.length() < blocks * LayerCompressor.BLOCK + 12345) {
            text.append("line ").append(random.nextInt(100_000)).append(" of a layer's file\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] compress(byte[] layer, PushCompression compression) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerCompressor.compress(new ByteArrayInputStream(layer), compression, out);
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void gzipMembersReadBackWholeAreDeterministicAndAsSmallAsOneMemberGzip6() throws Exception {
        byte[] original = layer(3);
        byte[] first = compress(original, PushCompression.GZIP);
        byte[] second = compress(original, PushCompression.GZIP);

        assertThat(gunzip(first)).isEqualTo(original);
        assertThat(first).isEqualTo(second);
        ByteArrayOutputStream oneMember = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(oneMember)) {
            gz.write(original);
        }
        assertThat((double) first.length).isLessThan(oneMember.size() * 1.05);
    }

    @Test
    void membersAreWrittenInTheLayersOrderWhateverOrderTheWorkersFinishIn() throws Exception {
        byte[] original = layer(12);
        byte[] inOrder = compress(original, PushCompression.GZIP);
        // the first blocks of each round take longest, so later blocks finish before them
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finishedOutOfOrder = new AtomicInteger();
        AtomicInteger lastFinished = new AtomicInteger(-1);
        ExecutorService workers = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
            private final ThreadLocal<Integer> number = new ThreadLocal<>();

            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                int n = started.getAndIncrement();
                number.set(n);
                try {
                    Thread.sleep(n % 4 == 0 ? 120 : 5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                int n = number.get();
                if (lastFinished.getAndSet(n) > n) finishedOutOfOrder.incrementAndGet();
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (workers) {
            LayerCompressor.gzipMembers(new ByteArrayInputStream(original), out, workers, 4, LayerCompressor.LIBDEFLATE);
        }
        assertThat(finishedOutOfOrder.get()).isPositive();
        assertThat(out.toByteArray()).isEqualTo(inOrder);
        assertThat(gunzip(out.toByteArray())).isEqualTo(original);
    }

    @Test
    void libdeflateMakesTheMembersWhereTheHostHasItAndZlibOtherwiseBothWithinFivePercentOfGzip6() throws Exception {
        assertThat(LayerCompressor.LIBDEFLATE)
                .isEqualTo(java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/x86_64-linux-gnu/libdeflate.so.0"))
                        || java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/aarch64-linux-gnu/libdeflate.so.0")));
        byte[] original = layer(3);
        ByteArrayOutputStream oneMember = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(oneMember)) {
            gz.write(original);
        }
        for (boolean libdeflate : LayerCompressor.LIBDEFLATE ? new boolean[] {true, false} : new boolean[] {false}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(2)) {
                LayerCompressor.gzipMembers(new ByteArrayInputStream(original), out, workers, 2, libdeflate);
            }
            assertThat(gunzip(out.toByteArray())).as("libdeflate " + libdeflate).isEqualTo(original);
            assertThat((double) out.size()).as("libdeflate " + libdeflate).isLessThan(oneMember.size() * 1.05);
        }
    }

    @Test
    void randomBlocksAreStoredAndTextBlocksDeflated() throws Exception {
        byte[] random = new byte[LayerCompressor.BLOCK];
        new Random(3).nextBytes(random);
        assertThat(LayerCompressor.incompressible(random, random.length)).isTrue();
        byte[] text = "text text text\n".repeat(70_000).getBytes(StandardCharsets.UTF_8);
        assertThat(LayerCompressor.incompressible(text, text.length)).isFalse();

        byte[] gz = compress(random, PushCompression.GZIP);
        assertThat(gunzip(gz)).isEqualTo(random);
        assertThat((long) gz.length).isBetween((long) random.length, random.length + 1024L);
    }

    @Test
    void zstdReadsBackWholeAndLeavesTheStreamOpen() throws Exception {
        byte[] original = layer(2);
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                throw new AssertionError("the compressor closed the upload stream");
            }
        };
        LayerCompressor.compress(new ByteArrayInputStream(original), PushCompression.ZSTD, out);
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(original);
        }
        assertThat(out.size()).isLessThan(original.length / 2);
    }

    @Test
    void anEmptyLayerIsOneEmptyGzipMember() throws Exception {
        assertThat(gunzip(compress(new byte[0], PushCompression.GZIP))).isEmpty();
    }
}
