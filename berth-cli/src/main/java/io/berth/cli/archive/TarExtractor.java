package io.berth.cli.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar from the archive API into a local directory for {@code cp}. The archive's root
 * entry may be renamed (copying to a new name); entries that would land outside the target
 * ({@code ..}, absolute names, links pointing out) are refused.
 */
public final class TarExtractor {

    private TarExtractor() {}

    /**
     * @param rename when non-null, {@code from} (the archive's first path component) becomes {@code to}
     * @param keepOwner set uid/gid from the archive (cp -a)
     */
    public static void extract(InputStream in, Path target, String from, String to, boolean keepOwner) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        List<Object[]> dirTimes = new ArrayList<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            String name = stripSlashes(entry.getName());
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (from != null && to != null) {
                if (name.equals(from)) {
                    name = to;
                } else if (name.startsWith(from + "/")) {
                    name = to + name.substring(from.length());
                }
                name = stripSlashes(name);
                if (name.isEmpty()) {
                    continue;
                }
            }
            Path dest = root.resolve(name).normalize();
            if (!dest.startsWith(root)) {
                throw new IOException("invalid archive entry outside the destination: " + entry.getName());
            }
            Files.createDirectories(dest.getParent());
            if (entry.isDirectory()) {
                if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(dest);
                    Files.createDirectories(dest);
                }
                dirTimes.add(new Object[] {dest, entry.getModTime().getTime()});
            } else if (entry.isSymbolicLink()) {
                Files.deleteIfExists(dest);
                Files.createSymbolicLink(dest, Path.of(entry.getLinkName()));
                continue;
            } else if (entry.isLink()) {
                Path linkTarget = root.resolve(stripSlashes(entry.getLinkName())).normalize();
                if (!linkTarget.startsWith(root)) {
                    throw new IOException("invalid hard link outside the destination: " + entry.getLinkName());
                }
                Files.deleteIfExists(dest);
                Files.createLink(dest, linkTarget);
                continue;
            } else if (entry.isFile()) {
                if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(dest.toString(), null, "cannot overwrite directory with a file");
                }
                Files.copy(tar, dest, StandardCopyOption.REPLACE_EXISTING);
                Files.setLastModifiedTime(dest, FileTime.fromMillis(entry.getModTime().getTime()));
            } else {
                continue;
            }
            Files.setPosixFilePermissions(dest, permissions(entry.getMode()));
            if (keepOwner) {
                Files.setAttribute(dest, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(dest, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
            }
        }
        // Directory times last: writing their children would change them again.
        for (Object[] d : dirTimes.reversed()) {
            Files.setLastModifiedTime((Path) d[0], FileTime.fromMillis((Long) d[1]));
        }
    }

    /** The first path component of the archive's entries, as the daemon names the copied root. */
    static String stripSlashes(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                perms.add(order[i]);
            }
        }
        return perms;
    }
}
