package io.berth.store;

import io.berth.oci.errors.InvalidArgumentException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads entries from an untrusted tar stream. Any read failure (short stream, bad header, bad gzip) is the
 * archive's fault and becomes an {@link InvalidArgumentException}; write failures stay {@link IOException}s,
 * so callers can tell a corrupt archive from a full disk.
 */
final class TarSource {
    private final TarArchiveInputStream tar;
    private final PaddedEnd source;
    private final String context;

    TarSource(InputStream uncompressed, String context) {
        this.source = new PaddedEnd(uncompressed);
        this.tar = new TarArchiveInputStream(source, StandardCharsets.UTF_8.name());
        this.context = context;
    }

    /** The next entry, or null at the end of the archive. */
    TarArchiveEntry next() {
        try {
            TarArchiveEntry entry = tar.getNextEntry();
            if (entry != null) source.dataEndsAt(source.position + (entry.isSparse() ? -1 : entry.getSize()));
            return entry;
        } catch (IOException | RuntimeException e) {
            throw truncated(e);
        }
    }

    /**
     * The archive as Go's tar reader takes it: a stream that ends right after the last entry's data, without the
     * padding to a whole block and the two zero blocks (the docker CLI's build context when -f names a Dockerfile
     * outside the context), is a complete archive. So an end of the stream exactly where an entry's data ends
     * reads as that entry's padding (zeros), then as the end of the archive; an end anywhere else stays truncation.
     */
    private static final class PaddedEnd extends java.io.FilterInputStream {
        long position;
        private long dataEnd = -1;
        private long padding = -1;

        PaddedEnd(InputStream in) {
            super(in);
        }

        void dataEndsAt(long end) {
            dataEnd = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (padding < 0) {
                int n = in.read(b, off, len);
                if (n > 0) {
                    position += n;
                    return n;
                }
                if (n < 0 && position == dataEnd && position % 512 != 0) padding = 512 - position % 512;
                else return n;
            }
            if (padding == 0) return -1;
            int n = (int) Math.min(len, padding);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            padding -= n;
            position += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) break;
                done += r;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** The archive stream, positioned at the current entry's data (for {@link io.berth.fs.TarApplier}). */
    InputStream data() {
        return tar;
    }

    /** Copies the current entry's data to {@code out} and checks that all of it was there. */
    long copyTo(OutputStream out, long expected) throws IOException {
        byte[] buf = new byte[65536];
        long total = 0;
        while (true) {
            int n;
            try {
                n = tar.read(buf, 0, buf.length);
            } catch (IOException | RuntimeException e) {
                throw truncated(e);
            }
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            total += n;
        }
        if (total != expected) {
            throw new InvalidArgumentException(context + ": truncated entry data (" + total + " of " + expected
                    + " bytes)");
        }
        return total;
    }

    /** The current entry's data, for small metadata files. */
    byte[] readAll(long limit) {
        TarArchiveEntry entry = tar.getCurrentEntry();
        if (entry.getSize() > limit) {
            throw new InvalidArgumentException(context + ": " + entry.getName() + " is larger than " + limit
                    + " bytes");
        }
        try {
            byte[] data = tar.readAllBytes();
            if (data.length != entry.getSize()) {
                throw new InvalidArgumentException(context + ": truncated entry data in " + entry.getName());
            }
            return data;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidArgumentException iae) {
                throw iae;
            }
            throw truncated(e);
        }
    }

    InvalidArgumentException truncated(Exception e) {
        return new InvalidArgumentException(context + ": truncated or corrupt archive: " + e.getMessage(), e);
    }
}
