package io.berth.build.exec;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes a layer tar whose bytes depend only on the entries: they are sorted by path (component-wise, so a
 * directory precedes its contents), every mtime is the same normalized instant (SOURCE_DATE_EPOCH or 0), there
 * are no atime/ctime/user/group names, and PAX headers appear only when a name, size or xattr needs one.
 * Ownership and permission bits are kept as given. Whiteouts become {@code .wh.<name>} and opaque directories
 * {@code <dir>/.wh..wh..opq}, as the OCI image spec asks.
 */
final class LayerTarWriter {
    /** Orders paths component by component: "a" < "a/b" < "a.b" (a plain string sort would put "a.b" first). */
    static final Comparator<String> PATH_ORDER = (x, y) -> {
        String[] a = x.split("/");
        String[] b = y.split("/");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = a[i].compareTo(b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    };

    private LayerTarWriter() {
    }

    static void write(Collection<LayerEntry> entries, Instant mtime, OutputStream out) throws IOException {
        List<LayerEntry> sorted = entries.stream().sorted(Comparator.comparing(LayerTarWriter::tarName, PATH_ORDER)).toList();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        FileTime time = FileTime.from(mtime);
        for (LayerEntry e : sorted) {
            TarArchiveEntry t = switch (e.kind()) {
                case DIRECTORY -> new TarArchiveEntry(e.name() + "/", TarConstants.LF_DIR);
                case FILE -> {
                    TarArchiveEntry f = new TarArchiveEntry(e.name(), TarConstants.LF_NORMAL);
                    f.setSize(e.size());
                    yield f;
                }
                case SYMLINK, HARDLINK -> {
                    TarArchiveEntry l = new TarArchiveEntry(e.name(),
                            e.kind() == LayerEntry.Kind.SYMLINK ? TarConstants.LF_SYMLINK : TarConstants.LF_LINK);
                    l.setLinkName(e.linkTarget());
                    yield l;
                }
                case FIFO -> new TarArchiveEntry(e.name(), TarConstants.LF_FIFO);
                case CHAR_DEVICE, BLOCK_DEVICE -> {
                    TarArchiveEntry d = new TarArchiveEntry(e.name(),
                            e.kind() == LayerEntry.Kind.CHAR_DEVICE ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                    d.setDevMajor(e.devMajor());
                    d.setDevMinor(e.devMinor());
                    yield d;
                }
                case WHITEOUT, OPAQUE -> new TarArchiveEntry(tarName(e), TarConstants.LF_NORMAL);
            };
            t.setMode(e.mode() & 07777);
            t.setUserId(e.uid());
            t.setGroupId(e.gid());
            t.setUserName("");
            t.setGroupName("");
            t.setModTime(time);
            for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                t.addPaxHeader("SCHILY.xattr." + x.getKey(), new String(x.getValue(), StandardCharsets.UTF_8));
            }
            tar.putArchiveEntry(t);
            if (e.kind() == LayerEntry.Kind.FILE) {
                if (e.data() != null) {
                    tar.write(e.data());
                } else {
                    try (InputStream in = Files.newInputStream(e.source())) {
                        long n = in.transferTo(tar);
                        if (n != e.size()) {
                            throw new IOException(e.source() + " changed size while archiving (" + e.size() + " -> " + n + ")");
                        }
                    }
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        out.flush();
    }

    /** The name in the tar: whiteouts and opaque markers get their OCI names. */
    static String tarName(LayerEntry e) {
        return switch (e.kind()) {
            case WHITEOUT -> {
                int slash = e.name().lastIndexOf('/');
                yield e.name().substring(0, slash + 1) + ".wh." + e.name().substring(slash + 1);
            }
            case OPAQUE -> e.name() + "/.wh..wh..opq";
            default -> e.name();
        };
    }
}
