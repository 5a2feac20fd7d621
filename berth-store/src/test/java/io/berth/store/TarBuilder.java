package io.berth.store;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds tars with arbitrary (also hostile) entries for tests. */
final class TarBuilder {
    static final Instant MTIME = Instant.parse("2020-01-02T03:04:05Z");
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8");

    TarBuilder() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarBuilder dir(String name) {
        return dir(name, 0755);
    }

    TarBuilder dir(String name, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
        e.setMode(040000 | mode);
        return put(e, null);
    }

    TarBuilder file(String name, String content) {
        return file(name, content, 0644, 0, 0);
    }

    TarBuilder file(String name, String content, int mode, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(0100000 | mode);
        e.setIds(uid, gid);
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        e.setSize(data.length);
        return put(e, data);
    }

    TarBuilder file(String name, byte[] data) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(0100644);
        e.setSize(data.length);
        return put(e, data);
    }

    TarBuilder fileWithXattr(String name, String content, String xattr, String value) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(0100644);
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        e.setSize(data.length);
        e.addPaxHeader("SCHILY.xattr." + xattr, value);
        return put(e, data);
    }

    TarBuilder symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        e.setMode(0120777);
        return put(e, null);
    }

    TarBuilder hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        e.setMode(0100644);
        return put(e, null);
    }

    TarBuilder charDevice(String name, int major, int minor) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setMode(020666);
        return put(e, null);
    }

    TarBuilder fifo(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
        e.setMode(010640);
        return put(e, null);
    }

    TarBuilder entries(Map<String, String> files) {
        files.forEach(this::file);
        return this;
    }

    private TarBuilder put(TarArchiveEntry e, byte[] data) {
        try {
            e.setModTime(FileTime.from(MTIME));
            tar.putArchiveEntry(e);
            if (data != null) {
                tar.write(data);
            }
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    byte[] build() {
        try {
            tar.finish();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
