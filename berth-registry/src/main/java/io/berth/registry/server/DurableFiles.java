package io.berth.registry.server;

import io.berth.linux.AtomicFile;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * File writes that survive {@code kill -9} and power loss whole or not at all, through berth-linux's
 * {@link AtomicFile}, plus the registry's durable deletes.
 */
final class DurableFiles {
    private DurableFiles() {
    }

    static void write(Path file, byte[] content) {
        try {
            AtomicFile.write(file, content);
        } catch (IOException e) {
            throw new SystemFailureException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Renames a finished, fsynced file into place and makes the rename durable. */
    static void moveInto(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        AtomicFile.rename(source, target);
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
        AtomicFile.syncDirectory(dir);
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
