package io.berth.store;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An image archive read once into a private temp directory. Regular files are stored under numbered names,
 * not under their entry names, and symlinks/hardlinks (old docker-save tars use them for shared layers) are
 * kept as name aliases resolved in memory, so nothing in the archive decides where a file lands on disk.
 */
final class ExtractedArchive implements Closeable {
    private static final String CONTEXT = "archive";
    private static final int MAX_ALIAS_HOPS = 40;

    private final Path dir;
    private final Map<String, Path> files = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();

    private ExtractedArchive(Path dir) {
        this.dir = dir;
    }

    static ExtractedArchive read(InputStream in, Path tmpRoot) {
        Path dir = tmpRoot.resolve("load-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        ExtractedArchive archive = new ExtractedArchive(dir);
        try {
            Files.createDirectories(dir);
            TarSource source = new TarSource(Compression.decompressed(in, CONTEXT), CONTEXT);
            int counter = 0;
            for (TarArchiveEntry entry = source.next(); entry != null; entry = source.next()) {
                String name = TarEntryName.normalise(CONTEXT, entry.getName());
                if (entry.isDirectory()) {
                    continue;
                }
                if (entry.isSymbolicLink()) {
                    archive.aliases.put(name, symlinkTarget(name, entry.getLinkName()));
                } else if (entry.isLink()) {
                    archive.aliases.put(name, TarEntryName.normalise(CONTEXT, entry.getLinkName()));
                } else if (entry.isFile()) {
                    Path file = dir.resolve(Integer.toString(counter++));
                    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
                        source.copyTo(out, entry.getSize());
                    }
                    archive.files.put(name, file);
                    archive.aliases.remove(name);
                } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
                    throw TarEntryName.unsafe(CONTEXT, entry.getName(), "device node");
                }
            }
            return archive;
        } catch (IOException e) {
            archive.close();
            throw new SystemFailureException("cannot unpack archive: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    /** A relative symlink target, interpreted from the link's directory and kept inside the archive. */
    private static String symlinkTarget(String linkName, String target) {
        if (target.startsWith("/")) {
            throw TarEntryName.unsafe(CONTEXT, linkName, "absolute symlink " + target);
        }
        int slash = linkName.lastIndexOf('/');
        String base = slash < 0 ? "" : linkName.substring(0, slash);
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String p : (base + "/" + target).split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw TarEntryName.unsafe(CONTEXT, linkName, "symlink " + target + " leaves the archive");
                }
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }

    boolean has(String name) {
        return locate(name) != null;
    }

    /** The file stored for {@code name} (following aliases); {@link InvalidArgumentException} if absent. */
    Path file(String name) {
        Path file = locate(name);
        if (file == null) {
            throw new InvalidArgumentException("archive: missing file " + name);
        }
        return file;
    }

    byte[] read(String name, long limit) {
        Path file = file(name);
        try {
            if (Files.size(file) > limit) {
                throw new InvalidArgumentException("archive: " + name + " is larger than " + limit + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SystemFailureException("cannot read " + name + " from archive: " + e.getMessage(), e);
        }
    }

    List<String> names() {
        return List.copyOf(files.keySet());
    }

    private Path locate(String name) {
        String current = TarEntryName.normalise(CONTEXT, name);
        for (int hop = 0; hop < MAX_ALIAS_HOPS; hop++) {
            Path file = files.get(current);
            if (file != null) {
                return file;
            }
            current = aliases.get(current);
            if (current == null) {
                return null;
            }
        }
        throw new InvalidArgumentException("archive: too many links resolving " + name);
    }

    @Override
    public void close() {
        DirectoryTrees.deleteQuietly(dir);
    }
}
