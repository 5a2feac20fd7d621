package io.berth.runtime;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import io.berth.fs.FileHandle;
import io.berth.fs.RootedDir;
import io.berth.fs.TarApplier;
import io.berth.fs.TreeTarWriter;
import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import io.berth.oci.errors.SystemFailureException;

/**
 * Docker's copy-up: an empty volume mounted over a non-empty directory of the image is first filled with that
 * directory's content, owners and modes (the directory's own owner and mode become the volume's), unless nocopy.
 * <p>
 * The image's directory is found inside the container's mounted rootfs (symlinks followed inside it, never out)
 * and streamed through berth's one tree archiver and one tar applier into a sibling {@code _copyup-ID} of the
 * volume's {@code _data}, which is then renamed over the still empty {@code _data}. A volume is therefore either
 * empty or completely filled: a kill in the middle leaves only the sibling, which the next start's copy replaces,
 * and of two containers filling one new volume at once the second rename fails and its copy is dropped.
 */
final class VolumeCopyUp {
    private VolumeCopyUp() {}

    static void fill(Path rootfs, String containerId, MountPoint m) {
        Path data = Path.of(m.source());
        Path staging = data.resolveSibling("_copyup-" + containerId);
        try {
            if (!isEmptyDirectory(data)) return;
            try (RootedDir root = RootedDir.open(rootfs); FileHandle dir = imageDirectory(root, m.destination())) {
                if (dir == null || dir.list().isEmpty()) return;
                ContainerRemover.deleteTreeQuietly(staging);
                Files.createDirectory(staging);
                copy(dir, staging);
            }
            try {
                Files.move(staging, data, StandardCopyOption.ATOMIC_MOVE);
            } catch (DirectoryNotEmptyException | FileAlreadyExistsException filledMeanwhile) {
                ContainerRemover.deleteTreeQuietly(staging);
            }
        } catch (IOException | RuntimeException e) {
            ContainerRemover.deleteTreeQuietly(staging);
            throw new SystemFailureException("copying " + m.destination() + " of the image into volume " + m.volume() + ": "
                    + e.getMessage(), e instanceof IOException ? e : null);
        }
    }

    private static boolean isEmptyDirectory(Path data) throws IOException {
        if (!Files.isDirectory(data)) return false;
        try (var entries = Files.list(data)) {
            return entries.findAny().isEmpty();
        }
    }

    /** The directory at {@code path} in the image, or null when there is none (nothing to copy). */
    private static FileHandle imageDirectory(RootedDir root, String path) throws ErrnoException {
        FileHandle h;
        try {
            h = root.resolve(path, RootedDir.Links.FOLLOW_IN_ROOT, true);
        } catch (ErrnoException e) {
            if (e.errno() == FileCalls.ENOENT || e.errno() == FileCalls.ENOTDIR || e.errno() == FileCalls.ELOOP) return null;
            throw e;
        }
        if (!h.stat().isDirectory()) {
            h.close();
            return null;
        }
        return h;
    }

    /** Archives {@code dir} as the top entry named like {@code staging} and applies it in staging's parent. */
    private static void copy(FileHandle dir, Path staging) throws IOException {
        AtomicReference<Throwable> writeFailure = new AtomicReference<>();
        try (PipedInputStream in = new PipedInputStream(1 << 16);
             RootedDir volumeDir = RootedDir.open(staging.getParent());
             TarApplier applier = new TarApplier(volumeDir, "", "volume copy-up", TarApplier.Options.intoHostDirectory(true))) {
            PipedOutputStream out = new PipedOutputStream(in);
            Thread writer = Thread.ofVirtual().start(() -> {
                try (out) {
                    TreeTarWriter.write(dir, staging.getFileName().toString(), out);
                } catch (Throwable t) {
                    writeFailure.set(t);
                }
            });
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) applier.apply(entry, tar);
            applier.finish();
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (writeFailure.get() != null) throw new IOException(writeFailure.get().getMessage(), writeFailure.get());
    }
}
