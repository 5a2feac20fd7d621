package io.berth.runtime;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.berth.fs.FileHandle;
import io.berth.fs.RootedDir;
import io.berth.fs.TreeCopier;
import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import io.berth.oci.errors.SystemFailureException;

/**
 * Docker's copy-up: an empty volume mounted over a non-empty directory of the image is first filled with that
 * directory's content, owners and modes (the directory's own owner and mode become the volume's), unless nocopy.
 * <p>
 * The image's directory is found inside the container's mounted rootfs (symlinks followed inside it, never out)
 * and copied by descriptors ({@link TreeCopier}: no tar in between, file data moved by the kernel) into a sibling
 * {@code _copyup-ID} of the
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

    /** Copies {@code dir}'s content, owners, modes and mtimes into the empty {@code staging} directory. */
    private static void copy(FileHandle dir, Path staging) throws IOException {
        try (RootedDir target = RootedDir.open(staging)) {
            TreeCopier.copyContents(dir, target);
        }
    }
}
