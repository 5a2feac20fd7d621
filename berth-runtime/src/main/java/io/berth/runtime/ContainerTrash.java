package io.berth.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A removed container's data directory leaves the store in one rename and is deleted afterwards, off the remove's
 * path (a `docker run --rm` waits for the removal; deleting the upper layer, logs and bundle file by file took
 * 10–160 ms on this shared disk):
 * <pre>
 * DATA-ROOT/containers/&lt;id&gt;/                 a container (container.json read at start)
 *                     .removing-&lt;id&gt;/       removed: never loaded, deleted in the background
 * </pre>
 * The rename is the removal: from then on no start of berthd loads the container, whatever happens next. A berthd
 * killed while deleting leaves the renamed directory, which the next start deletes ({@link #isTrash}, {@link
 * #sweep}). Its mounts are gone before the rename (the rootfs is unmounted by the run steps' tear-down).
 */
final class ContainerTrash {
    private static final Logger LOG = Logger.getLogger(ContainerTrash.class.getName());
    private static final String PREFIX = ".removing-";

    private ContainerTrash() {}

    /** Takes {@code dir} out of the store at once and deletes it in the background; deleted in place when it cannot be renamed. */
    static void discard(Path dir) {
        if (!Files.exists(dir)) return;
        Path trash = dir.resolveSibling(PREFIX + dir.getFileName());
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            ContainerRemover.deleteTree(dir); // the old way, on the caller's time
            return;
        }
        Thread.ofVirtual().name("trash-" + dir.getFileName()).start(() -> delete(trash));
    }

    static boolean isTrash(Path dir) {
        return dir.getFileName().toString().startsWith(PREFIX);
    }

    /** Deletes what a killed berthd left half deleted under {@code containersDir}, in the background. */
    static void sweep(Path containersDir) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(containersDir, d -> isTrash(d))) {
            for (Path d : dirs) Thread.ofVirtual().name("trash-" + d.getFileName()).start(() -> delete(d));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "listing " + containersDir + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path trash) {
        try {
            ContainerRemover.deleteTree(trash);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "deleting the removed container's " + trash + ": " + e.getMessage(), e);
        }
    }
}
