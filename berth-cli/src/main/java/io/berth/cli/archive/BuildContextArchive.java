package io.berth.cli.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

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
                    case OnDisk d -> TreeArchiver.addFromDisk(tar, d.path(), d.name(), false);
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

    private static void addBytes(TarArchiveOutputStream tar, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        entry.setMode(0100000 | mode);
        entry.setModTime(new Date());
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
