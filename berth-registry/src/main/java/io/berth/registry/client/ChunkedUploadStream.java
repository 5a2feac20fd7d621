package io.berth.registry.client;

import io.berth.oci.Digest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of a blob whose size and digest are known only at its end (a layer being compressed), written into an
 * open upload session while they are made: each full chunk goes up as a {@code PATCH} with its
 * {@code Content-Range} from a thread of its own while the writer fills the next, and {@link #finish} sends the
 * last, partial chunk with the closing {@code PUT ?digest=} (one PUT and no PATCH when the blob fits in one chunk).
 * The digest is computed as the bytes are written.
 * <p>
 * Memory is two chunks, whatever the blob's size: the one being filled and the one going up; a writer that gets
 * ahead of the upload waits for it.
 * <pre>
 *   writer ── write() ──▶ [filling] ──full──▶ [sending] ──PATCH──▶ registry      (then the buffer comes back)
 *   finish() ──────────────────────────────▶ waits for the sender, then PUT ?digest= with the rest
 * </pre>
 * A failed PATCH fails the next write (or finish) with its cause; {@link #location()} is then the session to
 * cancel.
 */
final class ChunkedUploadStream extends OutputStream {
    /** The requests of an upload session; each returns the Location to send the next one to. */
    interface Session {
        URI patch(URI location, long offset, byte[] bytes, int length) throws IOException;

        void put(URI location, Digest digest, long offset, byte[] bytes, int length) throws IOException;
    }

    /** A blob as uploaded. */
    record Uploaded(Digest digest, long size) {}

    private final Session session;
    private final MessageDigest sha256;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread sender;
    private byte[] filling;
    private int filled;
    private long written;
    /** The bytes handed to the sender so far: where the chunk being filled starts in the blob. */
    private long handedOff;
    /** Guarded by lock: the chunk waiting for the sender or being sent, its start offset, and a spare buffer. */
    private byte[] outgoing;
    private int outgoingLength;
    private long outgoingOffset;
    private byte[] spare;
    private boolean closed;
    private IOException failure;
    private volatile URI location;

    ChunkedUploadStream(Session session, URI location, int chunkSize) {
        this.session = session;
        this.location = location;
        this.filling = new byte[chunkSize];
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.sender = Thread.ofVirtual().name("upload-chunks").start(this::sendChunks);
    }

    /** Where the session is now (each PATCH answer moves it): the URL to finish or cancel it at. */
    URI location() {
        return location;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("upload stream is closed");
        sha256.update(b, off, len);
        written += len;
        while (len > 0) {
            int n = Math.min(len, filling.length - filled);
            System.arraycopy(b, off, filling, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == filling.length) handOff();
        }
    }

    /** Gives the full chunk to the sender and takes an empty buffer, waiting while the previous chunk goes up. */
    private void handOff() throws IOException {
        lock.lock();
        try {
            while (outgoing != null && failure == null) await();
            throwIfFailed();
            outgoing = filling;
            outgoingLength = filled;
            outgoingOffset = handedOff;
            handedOff += filled;
            filling = spare != null ? spare : new byte[filling.length];
            spare = null;
            filled = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void sendChunks() {
        while (true) {
            byte[] chunk;
            int length;
            long offset;
            lock.lock();
            try {
                while (outgoing == null && !closed) changed.awaitUninterruptibly();
                if (outgoing == null) return;
                chunk = outgoing;
                length = outgoingLength;
                offset = outgoingOffset;
            } finally {
                lock.unlock();
            }
            IOException failed = null;
            try {
                location = session.patch(location, offset, chunk, length);
            } catch (IOException e) {
                failed = e;
            } catch (RuntimeException | Error e) {
                // whatever ends the sender must reach the writer, or the writer would wait for it forever
                failed = new IOException(e.getMessage(), e);
            }
            lock.lock();
            try {
                outgoing = null;
                spare = chunk;
                if (failed != null) failure = failed;
                changed.signalAll();
                if (failed != null) return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits for the chunks in flight, then closes the upload with the rest and the digest of everything written. */
    Uploaded finish() throws IOException {
        lock.lock();
        try {
            while (outgoing != null && failure == null) await();
            throwIfFailed();
        } finally {
            lock.unlock();
        }
        Digest digest = new Digest(Digest.SHA256, HexFormat.of().formatHex(sha256.digest()));
        session.put(location, digest, handedOff, filling, filled);
        close();
        return new Uploaded(digest, written);
    }

    /** Stops the sender (a chunk being sent is abandoned); the buffers go. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != sender && sender.isAlive()) {
            sender.interrupt();
            try {
                sender.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        filling = null;
        spare = null;
    }

    private void await() throws InterruptedIOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading");
        }
    }

    private void throwIfFailed() throws IOException {
        if (failure != null) throw new IOException(failure.getMessage(), failure);
    }
}
