package io.berth.store;

import io.berth.fs.BadArchiveException;
import io.berth.fs.FileHandle;
import io.berth.fs.RootedDir;
import io.berth.fs.TarApplier;
import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Extracts a tar into an existing directory of a container's root filesystem ({@code docker cp} into a
 * container) with berth-fs's {@link TarApplier}: entry names follow the layer rules (no "..", no absolute names,
 * no device nodes), and the container's own symlinks are followed inside its root at every step, so a link to
 * "/" or "../../" (or one swapped in while the copy runs) lands in the container, never on the host. Unlike a
 * layer, a failed extraction is not rolled back: the target directory existed before and may hold files
 * written by the entries that succeeded.
 */
public final class DirectoryUntar {
    private DirectoryUntar() {
    }

    /**
     * @param root              the container's root filesystem
     * @param destination       directory inside the container, e.g. "/tmp"; must exist
     * @param preserveOwnership apply the tar's uid/gid (else files belong to the caller, i.e. root)
     * @param noOverwriteDirNonDir refuse an entry that would replace a directory with a non-directory or the
     *                             reverse (what the docker CLI asks for), instead of replacing it
     */
    public static void extract(InputStream tar, Path root, String destination, boolean preserveOwnership,
                               boolean noOverwriteDirNonDir) {
        try (RootedDir rooted = RootedDir.open(root)) {
            String base;
            try (FileHandle dest = rooted.resolveDir(destination, RootedDir.Links.FOLLOW_IN_ROOT)) {
                base = rooted.pathOf(dest);
            } catch (ErrnoException e) {
                if (e.errno() == FileCalls.ENOENT || e.errno() == FileCalls.ENOTDIR || e.errno() == FileCalls.ELOOP) {
                    throw new NotFoundException("Could not find the directory " + destination + " in the container");
                }
                throw e;
            }
            if (base == null) {
                throw new NotFoundException("Could not find the directory " + destination + " in the container");
            }
            TarSource source = new TarSource(Compression.decompressed(tar, "tar"), "tar");
            try (TarApplier applier = new TarApplier(rooted, base, "tar", TarApplier.Options.intoContainer(preserveOwnership, !noOverwriteDirNonDir))) {
                for (TarArchiveEntry entry = source.next(); entry != null; entry = source.next()) {
                    applier.apply(entry, source.data());
                }
                applier.finish();
            }
        } catch (BadArchiveException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        } catch (BerthException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SystemFailureException("cannot extract into " + destination + ": " + e.getMessage(), e);
        }
    }
}
