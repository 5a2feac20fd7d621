package io.berth.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a file whole or not at all: temp file, fsync, rename over the old one. */
final class AtomicFile {
    private AtomicFile() {}

    private static final String OWNER_ONLY = "rw-------";

    /** Durable, and readable by root alone: berthd's state carries containers' environments, secrets included. */
    static void write(Path file, byte[] data) throws IOException {
        write(file, data, true, OWNER_ONLY);
    }

    /** Durable, and world-readable: for the /etc files a container's non-root users read through a bind mount. */
    static void writeReadable(Path file, byte[] data) throws IOException {
        write(file, data, true, "rw-r--r--");
    }

    /**
     * Whole or not at all for every reader, but not forced to disk: only for files that are rebuilt before
     * each use, which a crash can therefore not leave stale or empty where it matters.
     */
    static void writeUnsynced(Path file, byte[] data) throws IOException {
        write(file, data, false, OWNER_ONLY);
    }

    private static void write(Path file, byte[] data, boolean durable, String mode) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a crash's leftover would keep its old mode
        try (var ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)))) {
            ch.write(ByteBuffer.wrap(data));
            if (durable) ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
