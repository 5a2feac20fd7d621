package io.berth.store.volumes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.berth.linux.AtomicFile;
import io.berth.oci.Json;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.store.DirectoryTrees;

/**
 * The local driver's volumes on disk, in Docker's layout:
 * <pre>
 * DATA-ROOT/volumes/          0700 (berthd's PrivateRoots)
 * ├── NAME/                   0700  a volume exists exactly when NAME/volume.json does
 * │   ├── volume.json         0600  its {@link Volume} record, written with AtomicFile
 * │   ├── _data/              0755 root  what a container mounts (Docker's Mountpoint)
 * │   └── (anything else)     a copy-up's staging sibling of _data, renamed over it when complete
 * ├── .new-RANDOM/            a create in progress: _data and volume.json are made here, then the
 * │                           directory is renamed to NAME, so a volume appears whole or not at all
 * └── .rm-RANDOM/             a removal in progress: NAME is renamed here first (the volume is gone from
 *                             that instant), then the tree is deleted
 * </pre>
 * A kill -9 can leave only dot entries and, inside a volume, a copy-up's staging directory behind; a dot entry
 * no valid name can take ({@link VolumeName}). Both are deleted by {@link #removeLeftovers()} at start, before any
 * container starts (so no copy-up is running). No locking here: the caller serialises changes.
 */
public final class VolumeStore {
    static final String METADATA = "volume.json";
    static final String DATA = "_data";
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> DATA_DIR = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Path dir;

    public VolumeStore(Path dir) {
        this.dir = dir;
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes what a killed create, removal or copy-up left: the dot entries, and in each volume every entry
     * besides volume.json and _data (a copy-up's staging directory; its container may be gone, so nobody else
     * would ever delete it). Returns how many entries were deleted. Must run before any container starts.
     */
    public int removeLeftovers() {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    DirectoryTrees.deleteRecursively(entry);
                    removed++;
                } else if (VolumeName.isValid(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    removed += removeStaging(entry);
                }
            }
            if (removed > 0) AtomicFile.syncDirectory(dir);
        } catch (IOException e) {
            throw new SystemFailureException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private static int removeStaging(Path volume) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(volume,
                p -> !p.getFileName().toString().equals(METADATA) && !p.getFileName().toString().equals(DATA))) {
            for (Path entry : entries) {
                DirectoryTrees.deleteRecursively(entry);
                removed++;
            }
        }
        if (removed > 0) AtomicFile.syncDirectory(volume);
        return removed;
    }

    /** The directory a container mounts for volume {@code name}. */
    public Path mountpoint(String name) {
        return dir.resolve(name).resolve(DATA);
    }

    public Optional<Volume> find(String name) {
        if (!VolumeName.isValid(name)) return Optional.empty();
        Path file = dir.resolve(name).resolve(METADATA);
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(Json.read(bytes, Volume.class, file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SystemFailureException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every volume, by name; an entry without readable metadata is skipped (and named on stderr). */
    public List<Volume> list() {
        List<Volume> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!VolumeName.isValid(name)) continue;
                try {
                    find(name).ifPresent(out::add);
                } catch (RuntimeException e) {
                    System.err.println("berth-store: skipping volume " + name + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Volume::name));
        return out;
    }

    /** Makes {@code volume} with an empty _data; a name already taken on disk is a conflict. */
    public void create(Volume volume) {
        VolumeName.check(volume.name());
        Path target = dir.resolve(volume.name());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConflictException("volume " + volume.name() + " already exists");
        }
        Path temp = dir.resolve(".new-" + randomSuffix());
        try {
            Files.createDirectory(temp, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            Path data = Files.createDirectory(temp.resolve(DATA));
            // createDirectory's mode passes through the umask; a container's non-root user must reach _data.
            Files.setPosixFilePermissions(data, DATA_DIR);
            AtomicFile.write(temp.resolve(METADATA), Json.canonicalBytes(volume), AtomicFile.OWNER_ONLY);
            Files.move(temp, target);
            AtomicFile.syncDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new SystemFailureException("cannot create volume " + volume.name() + ": " + e.getMessage(), e);
        }
    }

    /** Removes volume {@code name} and its data; it is gone for every reader once the first rename is done. */
    public void remove(String name) {
        VolumeName.check(name);
        Path doomed = dir.resolve(".rm-" + randomSuffix());
        try {
            Files.move(dir.resolve(name), doomed);
            AtomicFile.syncDirectory(dir);
            DirectoryTrees.deleteRecursively(doomed);
        } catch (IOException e) {
            throw new SystemFailureException("cannot remove volume " + name + ": " + e.getMessage(), e);
        }
    }

    /** Bytes in the volume's regular files (what /system/df reports and a prune reclaims). */
    public long size(String name) {
        Path data = mountpoint(name);
        return Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS) ? DirectoryTrees.diskUsage(data) : 0;
    }

    private static String randomSuffix() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private static void deleteQuietly(Path path) {
        try {
            DirectoryTrees.deleteRecursively(path);
        } catch (IOException ignored) {
            // the create already failed; a leftover .new- directory is removed at the next start
        }
    }
}
