package io.berth.cli.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a build context directory as the uncompressed tar {@code POST /build} takes: names relative to the
 * directory, entries sorted by name (so a directory precedes its contents), regular files, directories and
 * symlinks with their modes, owned by 0:0 as docker sends them. Symlinks are stored as links, never followed:
 * a link to a file outside the context must not leak that file into the build. Sockets, FIFOs and devices are
 * left out.
 *
 * <p>No {@code .dockerignore} filtering happens here: the berth daemon applies {@code .dockerignore} itself when
 * it unpacks the context, so the whole directory is sent.
 */
public final class BuildContextArchive {

    /**
     * A Dockerfile that is not inside the context directory (outside it, or read from stdin), added under
     * {@code name}; {@code name} is also appended to {@code .dockerignore} so COPY/ADD of the context do not
     * pick it up, as docker does. The daemon still reads an ignored Dockerfile.
     */
    public record HiddenDockerfile(String name, byte[] data) {}

    private sealed interface Entry permits OnDisk, InMemory {
        String name();
    }

    private record OnDisk(String name, Path path) implements Entry {}

    private record InMemory(String name, byte[] data, int mode) implements Entry {}

    private static final String IGNORE_FILE = ".dockerignore";

    private BuildContextArchive() {}

    /** Writes the context under {@code root}, plus {@code hidden} when not null. */
    public static void write(Path root, HiddenDockerfile hidden, OutputStream out) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root)).forEach(p -> entries.add(new OnDisk(relativeName(root, p), p)));
        }
        if (hidden != null) {
            Path ignore = root.resolve(IGNORE_FILE);
            byte[] rules = Files.isRegularFile(ignore, LinkOption.NOFOLLOW_LINKS) ? Files.readAllBytes(ignore) : new byte[0];
            entries.removeIf(e -> e.name().equals(IGNORE_FILE) || e.name().equals(hidden.name()));
            byte[] amended = (new String(rules, StandardCharsets.UTF_8) + "\n" + hidden.name() + "\n").getBytes(StandardCharsets.UTF_8);
            entries.add(new InMemory(IGNORE_FILE, amended, 0644));
            entries.add(new InMemory(hidden.name(), hidden.data(), 0600));
        }
        entries.sort(Comparator.comparing(Entry::name));
        try (TarArchiveOutputStream tar = open(out)) {
            for (Entry e : entries) {
                switch (e) {
                    case OnDisk d -> addFromDisk(tar, d.path(), d.name());
                    case InMemory m -> addBytes(tar, m.name(), m.data(), m.mode());
                }
            }
            tar.finish();
        }
    }

    /** Writes a context holding one file only: a Dockerfile piped in as {@code build -}. */
    public static void writeSingle(String name, byte[] data, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = open(out)) {
            addBytes(tar, name, data, 0644);
            tar.finish();
        }
    }

    private static String relativeName(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static TarArchiveOutputStream open(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private static void addFromDisk(TarArchiveOutputStream tar, Path p, String name) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry entry;
        if (attrs.isSymbolicLink()) {
            entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (attrs.isDirectory()) {
            entry = new TarArchiveEntry(name + "/");
        } else if (attrs.isRegularFile()) {
            entry = new TarArchiveEntry(name);
            entry.setSize(attrs.size());
        } else {
            return;
        }
        long special = ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).longValue() & 07000;
        entry.setMode((int) (TreeArchiver.permissionBits(attrs.permissions()) | special | typeBits(attrs)));
        entry.setModTime(new Date(attrs.lastModifiedTime().toMillis()));
        entry.setUserId(0);
        entry.setGroupId(0);
        tar.putArchiveEntry(entry);
        if (attrs.isRegularFile()) {
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                // exactly the size announced in the header, even if the file grows meanwhile
                long copied = in.transferTo(new BoundedOutput(tar, attrs.size()));
                if (copied < attrs.size()) {
                    throw new IOException("file changed while sending the build context: " + p);
                }
            }
        }
        tar.closeArchiveEntry();
    }

    private static void addBytes(TarArchiveOutputStream tar, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        entry.setMode(0100000 | mode);
        entry.setModTime(new Date());
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static long typeBits(PosixFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return 0120000;
        }
        return attrs.isDirectory() ? 040000 : 0100000;
    }

    /** Passes at most {@code limit} bytes on and drops the rest; counts what it received. */
    private static final class BoundedOutput extends OutputStream {
        private final OutputStream out;
        private long remaining;

        BoundedOutput(OutputStream out, long limit) {
            this.out = out;
            this.remaining = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, remaining);
            if (n > 0) {
                out.write(b, off, n);
                remaining -= n;
            }
        }
    }
}
