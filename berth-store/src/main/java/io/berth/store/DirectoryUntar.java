package io.berth.store;

import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Extracts a tar into an existing directory of a container's root filesystem ({@code docker cp} into a
 * container). Entry names follow the layer rules (no "..", no absolute names, no device nodes); symlinks already
 * in the container are resolved inside {@code root} ({@link ScopedPath}), so a link to "/" or "../../" lands in
 * the container, never on the host. Unlike a layer, a failed extraction is not rolled back: the target
 * directory existed before and may hold files written by the entries that succeeded.
 */
public final class DirectoryUntar {
    private DirectoryUntar() {
    }

    /**
     * @param root              the container's root filesystem
     * @param destination       directory inside the container, e.g. "/tmp"; must exist
     * @param preserveOwnership apply the tar's uid/gid (else files belong to the caller, i.e. root)
     */
    public static void extract(InputStream tar, Path root, String destination, boolean preserveOwnership) {
        Path dest = ScopedPath.resolve(root, destination);
        if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotFoundException("Could not find the directory " + destination + " in the container");
        }
        List<String> prefix = new ArrayList<>();
        root.relativize(dest).forEach(p -> {
            if (!p.toString().isEmpty()) {
                prefix.add(p.toString());
            }
        });
        try {
            TarSource source = new TarSource(Compression.decompressed(tar, "tar"), "tar");
            TarEntryWriter writer = new TarEntryWriter(root, "tar", TarEntryWriter.ParentPolicy.SCOPED, false,
                    preserveOwnership, List.of(), prefix);
            for (TarArchiveEntry entry = source.next(); entry != null; entry = source.next()) {
                writer.write(entry, source);
            }
            writer.finish();
        } catch (BerthException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SystemFailureException("cannot extract into " + destination + ": " + e.getMessage(), e);
        }
    }
}
