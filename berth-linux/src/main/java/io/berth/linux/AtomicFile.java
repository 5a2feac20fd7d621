package io.berth.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file whole or not at all, for every reader and across a crash or power loss: write a temp file in the
 * same directory, fsync it, rename(2) it over the old one, fsync the directory. Without the file's fsync a crash
 * can leave the new name on empty data (ext4 and xfs reorder the rename before the data); without the
 * directory's, the rename itself may be lost. The one implementation for the store's metadata, the runtime's
 * container state, the registry's links and tags, the build cache and saved credentials.
 * <p>
 * Here rather than in a module of OCI types: these are Linux filesystem semantics (an fsync on a directory
 * opened read-only, an atomic rename within one filesystem) that every module writing state depends on, as it
 * depends on berth-linux for its other calls.
 */
public final class AtomicFile {
    /** 0600: berthd's state carries containers' environments, secrets included. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** 0644: for files other users must read, such as the /etc files bind-mounted into a container. */
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFile() {}

    /** Replaces {@code file} durably, creating its directory if needed; a new file gets the umask's mode. */
    public static void write(Path file, byte[] content) throws IOException {
        write(file, content, null, true);
    }

    /** As {@link #write(Path, byte[])}, the file created with {@code mode} (0600 for secrets and state). */
    public static void write(Path file, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        write(file, content, mode, true);
    }

    /**
     * Whole or not at all for every reader, but not forced to disk: only for files rebuilt before each use (an
     * OCI config.json), which a crash therefore cannot leave stale or empty where it matters.
     */
    public static void writeUnsynced(Path file, byte[] content) throws IOException {
        write(file, content, null, false);
    }

    /** As {@link #writeUnsynced(Path, byte[])}, the file created with {@code mode}. */
    public static void writeUnsynced(Path file, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        write(file, content, mode, false);
    }

    /** Renames a finished (and fsynced) file over {@code target} and makes the rename durable. */
    public static void rename(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes the renames, creations and deletions in {@code dir} durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void write(Path file, byte[] content, Set<PosixFilePermission> mode, boolean durable)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        // A unique name per write: two writers of one file never share (and truncate) one temp file, and a crash's
        // leftover never lends its mode to the next write.
        Path tmp = dir.resolve(".tmp-" + file.getFileName() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createDirectories(dir);
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attributes = mode == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
        try {
            try (FileChannel ch = FileChannel.open(tmp, options, attributes)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                if (durable) {
                    ch.force(true);
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (durable) {
                syncDirectory(dir);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
