package io.berth.registry.server;

import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * File writes that survive {@code kill -9} and power loss whole or not at all: write a temp file beside the
 * target, fsync it, rename it over the target, fsync the directory.
 */
final class DurableFiles {
    private DurableFiles() {
    }

    static void write(Path file, byte[] content) {
        Path dir = file.getParent();
        Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new SystemFailureException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Renames a finished, fsynced file into place and makes the rename durable. */
    static void moveInto(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    /** Deletes the file if present; true when it existed. */
    static boolean delete(Path file) {
        try {
            boolean existed = Files.deleteIfExists(file);
            if (existed) {
                syncDirectory(file.getParent());
            }
            return existed;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new SystemFailureException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is swept by gc; the caller's own failure is what matters
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
