package io.berth.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Computes a digest (sha256 unless told otherwise) of everything read through it, and counts the bytes; or,
 * made by {@link #countingOnly}, only counts them (for a stream whose digest is already known).
 */
public final class DigestingInputStream extends FilterInputStream {
    private final MessageDigest md;
    private final String algorithm;
    private long count;

    public DigestingInputStream(InputStream in) {
        this(in, Digest.SHA256);
    }

    public DigestingInputStream(InputStream in, String algorithm) {
        this(in, algorithm, Digest.newMessageDigest(algorithm));
    }

    private DigestingInputStream(InputStream in, String algorithm, MessageDigest md) {
        super(in);
        this.algorithm = algorithm;
        this.md = md;
    }

    /** A stream that counts what is read through it and computes no digest: {@link #digest} throws. */
    public static DigestingInputStream countingOnly(InputStream in) {
        return new DigestingInputStream(in, null, null);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            if (md != null) {
                md.update((byte) b);
            }
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            if (md != null) {
                md.update(buf, off, n);
            }
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed, so skip by reading.
        byte[] buf = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported while digesting");
    }

    /** Reads and hashes whatever is left in the underlying stream. */
    public void drain() throws IOException {
        byte[] buf = new byte[65536];
        while (read(buf, 0, buf.length) >= 0) {
            // hashing happens in read
        }
    }

    /** The digest of the bytes read so far; call once, after the stream is fully consumed. */
    public Digest digest() {
        if (md == null) {
            throw new IllegalStateException("this stream only counts bytes");
        }
        return Digest.of(algorithm, md.digest());
    }

    public long count() {
        return count;
    }
}
