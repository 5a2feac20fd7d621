package io.berth.registry.client;

import io.berth.oci.Digest;
import io.berth.store.LayerUnpacker;
import io.berth.store.SnapshotStore;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Unpacks a layer into its snapshot while the layer downloads, so a pull does not read the blob a second time.
 * <p>
 * {@link BlobDownload} feeds it the bytes of a fresh (non-resumed) download through a bounded {@link ChunkPipe};
 * a virtual thread runs {@link LayerUnpacker} on the other end into a staging directory of the
 * {@link SnapshotStore}. This is only an optimisation: whatever goes wrong here (an unsafe entry, a diff ID
 * that differs from the config's, an I/O error) discards the staged tree and leaves the snapshot to the usual
 * unpack-after-download path, which then reports the problem. The staged tree becomes the snapshot only in
 * {@link #commit}, which the download calls after the blob's digest verified and the blob is stored, so a
 * corrupt download never leaves a snapshot behind.
 */
final class StreamingUnpack {
    /** Chunks of up to 128 KiB: about 8 MiB between download and unpack. */
    private static final int PIPE_CHUNKS = 64;

    private final SnapshotStore snapshots;
    private final Digest chainId;
    private final Digest diffId;
    private final Digest blobDigest;
    private final List<Path> lowerDirs;
    private final ChunkPipe pipe = new ChunkPipe(PIPE_CHUNKS);
    private Path staged;
    private Thread unpacker;
    private volatile Digest unpackedDiffId;
    private boolean over;

    /**
     * @param blobDigest the layer blob's digest, which the download verifies before {@link #commit}
     * @param lowerDirs  snapshots of the layers below, topmost first; all must exist already
     */
    StreamingUnpack(SnapshotStore snapshots, Digest chainId, Digest diffId, Digest blobDigest, List<Path> lowerDirs) {
        this.snapshots = snapshots;
        this.chainId = chainId;
        this.diffId = diffId;
        this.blobDigest = blobDigest;
        this.lowerDirs = List.copyOf(lowerDirs);
    }

    /** Starts the unpacking thread; the download calls it just before the first byte arrives. */
    void start() {
        if (unpacker != null || over) {
            return;
        }
        staged = snapshots.stagingDir(chainId);
        unpacker = Thread.ofVirtual().name("unpack-" + chainId.shortId()).start(() -> {
            InputStream in = pipe.reader();
            try {
                unpackedDiffId = new LayerUnpacker().unpack(in, staged, lowerDirs, blobDigest);
            } catch (RuntimeException e) {
                // LayerUnpacker deleted its target; the unpack-after-download path will meet the same
                // problem and report it, so there is nothing to report from here.
                unpackedDiffId = null;
            } finally {
                pipe.closeReader();
            }
        });
    }

    /** Bytes just written to the partial file, in order. Never fails because of the unpack. */
    void accept(byte[] bytes, int offset, int length) throws InterruptedIOException {
        if (unpacker != null && !over) {
            pipe.write(bytes, offset, length);
        }
    }

    /** Stops the unpack (the download failed, retries, or resumes) and deletes whatever it had written. */
    void abandon() {
        if (over) {
            return;
        }
        over = true;
        if (unpacker == null) {
            return;
        }
        pipe.fail();
        join();
        snapshots.discardStaged(staged);
    }

    /**
     * The blob has been fully received, verified and stored: let the unpack finish and, if it produced the
     * config's diff ID, make it the snapshot.
     *
     * @return whether the snapshot was committed
     */
    boolean commit() {
        if (over || unpacker == null) {
            over = true;
            return false;
        }
        over = true;
        pipe.finish();
        join();
        if (!diffId.equals(unpackedDiffId)) {
            snapshots.discardStaged(staged);
            return false;
        }
        try {
            snapshots.commitStaged(staged, chainId, diffId, blobDigest);
            return true;
        } catch (RuntimeException e) {
            // commitStaged removed the staged tree; prepare will unpack the layer from the stored blob
            return false;
        }
    }

    private void join() {
        boolean interrupted = false;
        while (true) {
            try {
                unpacker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
