package io.berth.store;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * Writes tars whose bytes depend only on the names and contents given: fixed mtime (the epoch), owner 0:0 with
 * no user/group names, fixed modes. Callers add entries in sorted order, so the same input always yields the
 * same archive (and the same digest).
 */
public final class DeterministicTarWriter implements Closeable {
    private static final FileTime FIXED_MTIME = FileTime.from(Instant.EPOCH);
    private static final int DIR_MODE = 040755;
    private static final int FILE_MODE = 0100644;

    private final TarArchiveOutputStream tar;

    public DeterministicTarWriter(OutputStream out) {
        this.tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** Adds a directory entry; {@code name} gets a trailing "/" if it lacks one. */
    public void directory(String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        fix(entry, DIR_MODE);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    public void file(String name, byte[] data) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        fix(entry, FILE_MODE);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** Adds a file of exactly {@code size} bytes read from {@code data}. */
    public void file(String name, long size, InputStream data) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        fix(entry, FILE_MODE);
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        long copied = data.transferTo(tar);
        if (copied != size) {
            throw new IOException(name + ": expected " + size + " bytes, got " + copied);
        }
        tar.closeArchiveEntry();
    }

    /** Writes the end-of-archive blocks; the underlying stream stays open. */
    public void finish() throws IOException {
        tar.finish();
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    private static void fix(TarArchiveEntry entry, int mode) {
        entry.setMode(mode);
        entry.setModTime(FIXED_MTIME);
        entry.setIds(0, 0);
        entry.setUserName("");
        entry.setGroupName("");
    }
}
