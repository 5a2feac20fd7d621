package io.berth.cli.archive;

import io.berth.fs.BadArchiveException;
import io.berth.fs.RootedDir;
import io.berth.fs.TarApplier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar from the archive API into a local directory for {@code cp}, through berth-fs's
 * {@link TarApplier} (the same applier the engine uses): the archive's root entry may be renamed (copying to a
 * new name); entries that would land outside the target ({@code ..}, absolute names, hardlinks out, writes
 * through a symlink, even one the archive made itself) are refused, and a directory is never replaced by a
 * non-directory.
 */
public final class TarExtractor {

    private TarExtractor() {}

    /**
     * @param rename when non-null, {@code from} (the archive's first path component) becomes {@code to}
     * @param keepOwner set uid/gid from the archive (cp -a)
     */
    public static void extract(InputStream in, Path target, String from, String to, boolean keepOwner) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        try (RootedDir root = RootedDir.open(target.toRealPath());
             TarApplier applier = new TarApplier(root, "", "archive", TarApplier.Options.intoHostDirectory(keepOwner))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = renamed(entry.getName(), from, to);
                if (name.isEmpty() || name.equals(".")) {
                    continue; // the target directory itself keeps its own mode and times
                }
                entry.setName(entry.isDirectory() ? name + "/" : name);
                applier.apply(entry, tar);
            }
            applier.finish();
        } catch (BadArchiveException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The entry's name with the archive's root {@code from} renamed to {@code to}; leading "./" dropped. */
    static String renamed(String name, String from, String to) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        if (from != null && to != null) {
            if (n.equals(from)) {
                n = to;
            } else if (n.startsWith(from + "/")) {
                n = to + n.substring(from.length());
            }
            while (n.startsWith("/")) {
                n = n.substring(1);
            }
        }
        return n;
    }
}
