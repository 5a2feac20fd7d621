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
    private final String context;

    TarSource(InputStream uncompressed, String context) {
        this.tar = new TarArchiveInputStream(uncompressed, StandardCharsets.UTF_8.name());
        this.context = context;
    }

    /** The next entry, or null at the end of the archive. */
    TarArchiveEntry next() {
        try {
            return tar.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw truncated(e);
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
