package io.berth.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a file whole or not at all: temp file, fsync, rename over the old one. */
final class AtomicFile {
    private AtomicFile() {}

    static void write(Path file, byte[] data) throws IOException {
        write(file, data, true);
    }

    /**
     * Whole or not at all for every reader, but not forced to disk: only for files that are rebuilt before
     * each use, which a crash can therefore not leave stale or empty where it matters.
     */
    static void writeUnsynced(Path file, byte[] data) throws IOException {
        write(file, data, false);
    }

    private static void write(Path file, byte[] data, boolean durable) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(data));
            if (durable) ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
