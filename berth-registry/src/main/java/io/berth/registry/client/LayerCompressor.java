package io.berth.registry.client;

import com.github.luben.zstd.ZstdOutputStream;
import io.berth.linux.Libdeflate;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses one stored layer for a push as a stream: the compressed bytes go to the caller's stream (the upload)
 * as they are made, in order, so the upload runs beside the compression and nothing is kept whole.
 * <p>
 * gzip runs on every core as pigz does: the layer is cut into {@link #BLOCK} blocks, each deflated at level 5
 * ({@link #GZIP_LEVEL}, by libdeflate where the host has it, else by zlib; stored when a sample shows it will not
 * shrink: {@link #incompressible}) as its own gzip member by a worker, and the members written in the layer's order by the calling thread. A stream of members is
 * one valid gzip file (RFC 1952; Go's, Java's and zlib's readers take it), the output depends only on the input, so
 * the cached digest of a second push matches, and the size stays within a few percent of one-member gzip -6.
 * At most {@link #IN_FLIGHT} blocks per core are read ahead, and their buffers and deflaters are reused: the memory
 * stays a few MiB whatever the layer's size. zstd uses the library's own workers at level 3, zstd's default.
 */
final class LayerCompressor {
    static final int BLOCK = 1 << 20;
    private static final int SAMPLE = 64 * 1024;
    /**
     * Level 5. On the JDK's 317 MB tar in 1 MiB members (incompressible ones stored), measured here: libdeflate
     * needs 3.1 s of CPU for 1.015x gzip -6's size (level 6: 3.6 s, 1.011x; level 4: 2.3 s, 1.030x); zlib, used
     * where libdeflate is missing, 5.8 s for 1.025x (level 4: 4.8 s, 1.039x). Docker's target is gzip -6's size
     * within 5%.
     */
    private static final int GZIP_LEVEL = 5;
    /** Whether members are made by libdeflate (else by the JDK's zlib: same format, other bytes, more CPU). */
    static final boolean LIBDEFLATE = Libdeflate.isAvailable();
    private static final int ZSTD_LEVEL = 3;
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Blocks read ahead per worker: one being deflated, one waiting, so no worker idles while the writer writes. */
    private static final int IN_FLIGHT = 2;
    /** Java's own GZIPOutputStream header: no name, no time, so equal input makes equal members. */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, 0};

    private LayerCompressor() {}

    /** Writes {@code layer} compressed with {@code compression} to {@code out} (which it neither flushes nor closes). */
    static void compress(InputStream layer, PushCompression compression, OutputStream out) throws IOException {
        switch (compression) {
            case GZIP -> {
                try (ExecutorService workers = Executors.newFixedThreadPool(THREADS,
                        Thread.ofPlatform().daemon().name("gzip-", 0).factory())) {
                    gzipMembers(layer, out, workers, THREADS, LIBDEFLATE);
                }
            }
            case ZSTD -> zstd(layer, out);
            case NONE -> layer.transferTo(out);
        }
    }

    /**
     * The gzip members of {@code layer}, deflated on {@code workers} (at most {@code IN_FLIGHT * threads} blocks at
     * once) and written in order whatever order they finish in.
     */
    static void gzipMembers(InputStream layer, OutputStream out, ExecutorService workers, int threads,
                            boolean libdeflate) throws IOException {
        ArrayDeque<Future<Member>> pending = new ArrayDeque<>();
        Buffers buffers = new Buffers(libdeflate);
        try {
            boolean any = false;
            while (true) {
                byte[] block = buffers.input();
                int length = layer.readNBytes(block, 0, BLOCK);
                if (length == 0 && any) {
                    buffers.release(block);
                    break;
                }
                any = true;
                pending.add(workers.submit(() -> buffers.deflate(block, length)));
                if (pending.size() >= IN_FLIGHT * threads) writeNext(pending, out, buffers);
                if (length < BLOCK) break;
            }
            while (!pending.isEmpty()) writeNext(pending, out, buffers);
        } finally {
            pending.forEach(f -> f.cancel(true));
            buffers.end();
        }
    }

    /** One compressed member in a reusable buffer, and the input block it came from (both go back to the pool). */
    private record Member(byte[] input, byte[] bytes, int length) {}

    private static void writeNext(ArrayDeque<Future<Member>> pending, OutputStream out, Buffers buffers)
            throws IOException {
        Member member;
        try {
            member = pending.removeFirst().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("compressing failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        }
        out.write(member.bytes(), 0, member.length());
        buffers.release(member);
    }

    /**
     * The input blocks, member buffers and deflaters of one compression, reused: a fresh 1 MiB array per block
     * would outlive the young generation while it waits its turn, and a fresh Deflater per block costs zlib's
     * state allocation each time.
     */
    private static final class Buffers {
        private final boolean libdeflate;

        Buffers(boolean libdeflate) {
            this.libdeflate = libdeflate;
        }

        private final ConcurrentLinkedQueue<byte[]> inputs = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<byte[]> outputs = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Deflater> deflaters = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Deflater> all = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Libdeflate.GzipCompressor> fast = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Libdeflate.GzipCompressor> allFast = new ConcurrentLinkedQueue<>();

        byte[] input() {
            byte[] b = inputs.poll();
            return b != null ? b : new byte[BLOCK];
        }

        void release(byte[] input) {
            inputs.add(input);
        }

        void release(Member member) {
            inputs.add(member.input());
            outputs.add(member.bytes());
        }

        Member deflate(byte[] block, int length) {
            byte[] out = outputs.poll();
            if (out == null) out = new byte[BLOCK + BLOCK / 64 + 64];
            boolean stored = incompressible(block, length);
            if (!stored && libdeflate) {
                Libdeflate.GzipCompressor compressor = fast.poll();
                if (compressor == null) {
                    compressor = new Libdeflate.GzipCompressor(GZIP_LEVEL, BLOCK);
                    allFast.add(compressor);
                }
                try {
                    return new Member(block, out, compressor.gzip(block, length, out, 0));
                } finally {
                    fast.add(compressor);
                }
            }
            Deflater deflater = deflaters.poll();
            if (deflater == null) {
                deflater = new Deflater(GZIP_LEVEL, true);
                all.add(deflater);
            }
            try {
                deflater.reset();
                deflater.setLevel(stored ? Deflater.NO_COMPRESSION : GZIP_LEVEL);
                deflater.setInput(block, 0, length);
                deflater.finish();
                System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
                int n = GZIP_HEADER.length;
                while (!deflater.finished()) {
                    if (n == out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
                    n += deflater.deflate(out, n, out.length - n);
                }
                if (out.length - n < 8) out = java.util.Arrays.copyOf(out, n + 8);
                CRC32 crc = new CRC32();
                crc.update(block, 0, length);
                n = putIntLe(out, n, (int) crc.getValue());
                n = putIntLe(out, n, length);
                return new Member(block, out, n);
            } finally {
                deflaters.add(deflater);
            }
        }

        void end() {
            all.forEach(Deflater::end);
            allFast.forEach(Libdeflate.GzipCompressor::close);
        }
    }

    private static int putIntLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
        return at + 4;
    }

    /**
     * Whether the block's first {@link #SAMPLE} bytes shrink by less than 3% at deflate's fastest level: then
     * the block is already compressed data (a jar, a png, a packed archive) or random, where level 6 spends its
     * time searching for matches to end up at the input's size anyway (zlib emits stored blocks then), and the
     * block is stored outright. A 200 MB random layer then goes through at copy speed, and the JDK's layer (a
     * 317 MB tar mixing both kinds) comes out 1.8% larger than gzip -6 makes it (bench/run-push).
     */
    static boolean incompressible(byte[] block, int length) {
        int sample = Math.min(SAMPLE, length);
        if (sample < 1024) return false;
        Deflater fastest = new Deflater(Deflater.BEST_SPEED, true);
        try {
            fastest.setInput(block, 0, sample);
            fastest.finish();
            byte[] out = new byte[sample + 1024];
            int deflated = 0;
            while (!fastest.finished()) deflated += fastest.deflate(out);
            return deflated > sample * 0.97;
        } finally {
            fastest.end();
        }
    }

    private static void zstd(InputStream in, OutputStream out) throws IOException {
        // the library closes the stream it writes to: the caller's stays open
        OutputStream shield = new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
            }
        };
        try (ZstdOutputStream z = new ZstdOutputStream(shield, ZSTD_LEVEL)) {
            z.setWorkers(THREADS);
            in.transferTo(z);
        }
    }
}
