package io.berth.cli.command;

import io.berth.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code --cidfile}, written by the CLI as docker's does: a file that exists already refuses the create (another
 * container may own it), the file is made before the create and removed again when the create fails, and holds the
 * id, without a newline, once there is one.
 */
final class ContainerIdFile implements AutoCloseable {
    private final Path path;
    private boolean written;

    private ContainerIdFile(Path path) {
        this.path = path;
    }

    /** Claims {@code path} (null or empty: no file, every call does nothing). */
    static ContainerIdFile claim(String path) {
        if (path == null || path.isEmpty()) {
            return new ContainerIdFile(null);
        }
        Path file = Path.of(path);
        try {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new CliException(125, "berth: container ID file found, make sure the other container isn't running or delete " + path);
        } catch (NoSuchFileException e) {
            throw new CliException(125, "berth: failed to create the container ID file: open " + path + ": no such file or directory");
        } catch (IOException e) {
            throw new CliException(125, "berth: failed to create the container ID file: " + e.getMessage());
        }
        return new ContainerIdFile(file);
    }

    void write(String id) {
        if (path == null) {
            return;
        }
        try {
            Files.writeString(path, id, StandardCharsets.UTF_8);
            written = true;
        } catch (IOException e) {
            throw new CliException(125, "berth: failed to write the container ID to the file: " + e.getMessage());
        }
    }

    /** Removes the file unless the id was written to it. */
    @Override
    public void close() {
        if (path == null || written) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // what remains is an empty file, which names no container
        }
    }
}
