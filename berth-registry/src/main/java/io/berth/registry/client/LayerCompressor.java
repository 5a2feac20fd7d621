package io.berth.registry.client;

import com.github.luben.zstd.ZstdOutputStream;
import io.berth.oci.Digest;
import io.berth.oci.errors.SystemFailureException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses one stored layer for a push into a private file beside the partial downloads (swept by the garbage
 * collector if berthd dies meanwhile), hashing what it writes.
 * <p>
 * gzip runs on every core as pigz does: the layer is cut into {@link #BLOCK} blocks, each deflated at zlib's level 5
 * ({@link #GZIP_LEVEL}; stored when a sample shows it will not shrink: {@link #incompressible}) as its own gzip member,
 * and the members written in order. A stream of members is one valid gzip
 * file (RFC 1952; Go's, Java's and zlib's readers take it), the output depends only on the input, so the cached
 * digest of a second push matches, and the size stays within a few percent of one-member gzip -6. zstd
 * uses the library's own workers at level 3, zstd's default.
 */
final class LayerCompressor {
    static final int BLOCK = 1 << 20;
    private static final int SAMPLE = 64 * 1024;
    /**
     * zlib's level 5: on the JDK's 317 MB tar in 1 MiB blocks it needs 6.4 s of CPU where level 6 needs 9.2 s, for
     * output 0.7% larger (Python's zlib, same library); Docker's target is gzip -6's size within 5%.
     */
    private static final int GZIP_LEVEL = 5;
    private static final int ZSTD_LEVEL = 3;
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** The compressed file, which the caller deletes once it is uploaded. */
    record Compressed(Path file, Digest digest, long size) {}

    private LayerCompressor() {}

    static Compressed compress(Path layer, PushCompression compression, Path tempDir) {
        Path file = null;
        try {
            Files.createDirectories(tempDir);
            file = Files.createTempFile(tempDir, "push-", ".tmp");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(layer);
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha256)) {
                switch (compression) {
                    case GZIP -> gzipBlocks(in, out);
                    case ZSTD -> zstd(in, out);
                    case NONE -> in.transferTo(out);
                }
            }
            Compressed done = new Compressed(file, new Digest(Digest.SHA256, HexFormat.of().formatHex(sha256.digest())),
                    Files.size(file));
            file = null;
            return done;
        } catch (IOException | UncheckedIOException e) {
            throw new SystemFailureException("cannot compress layer " + layer.getFileName() + " for the push: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // swept with the partial downloads
                }
            }
        }
    }

    private static void gzipBlocks(InputStream in, OutputStream out) throws IOException {
        // at most two blocks per core in flight: the memory stays a few MiB whatever the layer's size
        ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
        try (ExecutorService workers = Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().daemon().name("gzip-", 0).factory())) {
            boolean any = false;
            while (true) {
                byte[] block = in.readNBytes(BLOCK);
                if (block.length == 0 && any) break;
                any = true;
                pending.add(workers.submit(() -> gzip(block)));
                if (pending.size() >= 2 * THREADS) out.write(next(pending));
                if (block.length < BLOCK) break;
            }
            while (!pending.isEmpty()) out.write(next(pending));
        }
    }

    private static byte[] gzip(byte[] block) throws IOException {
        int level = incompressible(block) ? Deflater.NO_COMPRESSION : GZIP_LEVEL;
        ByteArrayOutputStream member = new ByteArrayOutputStream(block.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(member, 1 << 16) {
            {
                def.setLevel(level);
            }
        }) {
            gz.write(block);
        }
        return member.toByteArray();
    }

    /**
     * Whether the block's first {@link #SAMPLE} bytes shrink by less than 3% at deflate's fastest level: then
     * the block is already compressed data (a jar, a png, a packed archive) or random, where level 6 spends its
     * time searching for matches to end up at the input's size anyway (zlib emits stored blocks then), and the
     * block is stored outright. A 200 MB random layer then goes through at copy speed, and the JDK's layer (a
     * 317 MB tar mixing both kinds) comes out 1.8% larger than gzip -6 makes it (bench/run-push).
     */
    static boolean incompressible(byte[] block) {
        int sample = Math.min(SAMPLE, block.length);
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

    private static byte[] next(ArrayDeque<Future<byte[]>> pending) throws IOException {
        Future<byte[]> first = pending.removeFirst();
        try {
            return first.get();
        } catch (ExecutionException e) {
            pending.forEach(f -> f.cancel(true));
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.forEach(f -> f.cancel(true));
            throw new IOException("interrupted while compressing", e);
        }
    }

    private static void zstd(InputStream in, OutputStream out) throws IOException {
        try (ZstdOutputStream z = new ZstdOutputStream(out, ZSTD_LEVEL)) {
            z.setWorkers(THREADS);
            in.transferTo(z);
        }
    }
}
