package io.berth.oci;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Computes the sha256 digest of everything written through it, and counts the bytes. */
public final class DigestingOutputStream extends FilterOutputStream {
    private final MessageDigest md = Digest.newMessageDigest(Digest.SHA256);
    private long count;

    public DigestingOutputStream(OutputStream out) {
        super(out);
    }

    /** A sink that only hashes, for computing a digest without keeping the bytes. */
    public static DigestingOutputStream nullSink() {
        return new DigestingOutputStream(OutputStream.nullOutputStream());
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        md.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        out.write(buf, off, len);
        md.update(buf, off, len);
        count += len;
    }

    /** The digest of the bytes written so far; call once, after the last write. */
    public Digest digest() {
        return Digest.of(Digest.SHA256, md.digest());
    }

    public long count() {
        return count;
    }
}
