package io.berth.registry.server;

import io.berth.oci.Digest;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Deletes blobs no manifest needs, while the registry keeps serving (in its process or another).
 * <p>
 * Mark: every manifest revision of every repository (tagged or not, so referrers stay with their subjects) is
 * kept, with what it references: index → child manifests → config and layers. Sweep: a blob that is not marked
 * is deleted only if its modification time is before the mark began. The registry refreshes that time whenever
 * it links a blob (upload, mount, manifest push), so anything linked after the mark started survives, and upload
 * sessions live outside {@code blobs/} where the sweep never looks.
 * <p>
 * The one race left is a link landing between the sweep's check and its delete. The sweep closes it by first
 * renaming the blob aside ({@code .gc-<hex>}), then checking the time again: a touch before the rename shows in
 * the time (the blob is put back), a touch after it finds no file and waits for the blob to come back or go
 * ({@link RegistryStorage}), and only then fails with BLOB_UNKNOWN. Run one collector at a time per root.
 */
public final class GarbageCollector {
    /** Slack for filesystem timestamps that lag the wall clock by a tick. */
    private static final Duration CLOCK_SLACK = Duration.ofMillis(50);
    /** Upload sessions and temp files untouched this long belong to clients that gave up. */
    private static final Duration ABANDONED = Duration.ofHours(24);

    private final RegistryLayout layout;

    public GarbageCollector(Path root) {
        this.layout = new RegistryLayout(root);
    }

    /** What a run kept and removed (or would remove, in a dry run). */
    public record Result(int marked, List<Digest> deleted, long bytesFreed, int abandonedUploads) {
    }

    public Result run(boolean dryRun) {
        return run(dryRun, Duration.ZERO);
    }

    /** Runs mark and sweep; blobs younger than {@code minAge} before the mark began are kept regardless. */
    public Result run(boolean dryRun, Duration minAge) {
        restoreAside();
        Instant markStart = Instant.now();
        Instant cutoff = markStart.minus(CLOCK_SLACK).minus(minAge);
        Set<Digest> marked = mark();
        List<Digest> deleted = new ArrayList<>();
        long freed = 0;
        for (Digest digest : storedBlobs()) {
            if (marked.contains(digest)) {
                continue;
            }
            Path blob = layout.blob(digest);
            try {
                if (!Files.getLastModifiedTime(blob).toInstant().isBefore(cutoff)) {
                    continue;
                }
                long size = Files.size(blob);
                if (dryRun || sweep(blob, cutoff)) {
                    deleted.add(digest);
                    freed += size;
                }
            } catch (NoSuchFileException e) {
                // deleted by someone else meanwhile
            } catch (IOException e) {
                throw new SystemFailureException("cannot collect " + digest + ": " + e.getMessage(), e);
            }
        }
        int abandoned = 0;
        if (!dryRun) {
            removeLinks(Set.copyOf(deleted));
            abandoned = removeAbandoned(markStart.minus(ABANDONED));
        }
        return new Result(marked.size(), List.copyOf(deleted), freed, abandoned);
    }

    /** A collector killed between moving a blob aside and deciding puts it back: the next run decides again. */
    private void restoreAside() {
        for (String algorithm : List.of(Digest.SHA256, Digest.SHA512)) {
            Path dir = layout.blobsDir().resolve(algorithm);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path aside : files.filter(p -> p.getFileName().toString().startsWith(".gc-")).toList()) {
                    Path blob = aside.resolveSibling(aside.getFileName().toString().substring(4));
                    Files.move(aside, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new SystemFailureException("cannot restore blobs in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    static Path asideName(Path blob) {
        return blob.resolveSibling(".gc-" + blob.getFileName());
    }

    private static boolean sweep(Path blob, Instant cutoff) throws IOException {
        Path aside = asideName(blob);
        Files.move(blob, aside, StandardCopyOption.ATOMIC_MOVE);
        if (!Files.getLastModifiedTime(aside).toInstant().isBefore(cutoff)) {
            Files.move(aside, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return false;
        }
        Files.delete(aside);
        return true;
    }

    private Set<Digest> mark() {
        Set<Digest> marked = new HashSet<>();
        for (Path revisions : repositoryDirs("revisions")) {
            for (Path revision : files(revisions)) {
                Digest digest = digestOf(revision);
                if (digest != null) {
                    markManifest(digest, readMediaType(revision), marked);
                }
            }
        }
        return marked;
    }

    private void markManifest(Digest digest, String mediaType, Set<Digest> marked) {
        if (!marked.add(digest)) {
            return;
        }
        ManifestDocument document;
        try {
            document = ManifestDocument.parse(Files.readAllBytes(layout.blob(digest)), mediaType);
        } catch (IOException | RegistryException e) {
            return; // missing or unreadable: nothing further to keep through it
        }
        marked.addAll(document.blobs());
        for (Digest child : document.children()) {
            markManifest(child, null, marked);
        }
    }

    private static String readMediaType(Path revision) {
        try {
            return Files.readString(revision).trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** Directories named {@code leaf} inside any repository ({@code revisions} or {@code _links}). */
    private List<Path> repositoryDirs(String leaf) {
        Path top = layout.repositoriesDir();
        if (!Files.isDirectory(top)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(top)) {
            return walk.filter(p -> p.getFileName().toString().equals(leaf) && Files.isDirectory(p)).toList();
        } catch (IOException e) {
            throw new SystemFailureException("cannot scan repositories: " + e.getMessage(), e);
        }
    }

    /** Link files {@code <dir>/<alg>/<hex>}. */
    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new SystemFailureException("cannot scan " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Digest digestOf(Path link) {
        String algorithm = link.getParent().getFileName().toString();
        String name = link.getFileName().toString();
        return Digest.isValid(algorithm + ":" + name) ? Digest.parse(algorithm + ":" + name) : null;
    }

    private List<Digest> storedBlobs() {
        List<Digest> digests = new ArrayList<>();
        for (String algorithm : List.of(Digest.SHA256, Digest.SHA512)) {
            Path dir = layout.blobsDir().resolve(algorithm);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> algorithm + ":" + p.getFileName())
                        .filter(Digest::isValid)
                        .map(Digest::parse)
                        .forEach(digests::add);
            } catch (IOException e) {
                throw new SystemFailureException("cannot list blobs: " + e.getMessage(), e);
            }
        }
        return digests;
    }

    private void removeLinks(Set<Digest> deleted) {
        if (deleted.isEmpty()) {
            return;
        }
        for (Path links : repositoryDirs("_links")) {
            for (Path link : files(links)) {
                Digest digest = digestOf(link);
                if (digest != null && deleted.contains(digest) && !Files.exists(layout.blob(digest))) {
                    DurableFiles.delete(link);
                }
            }
        }
    }

    private int removeAbandoned(Instant before) {
        int removed = 0;
        for (Path dir : List.of(layout.uploadsDir(), layout.blobsDir().resolve(Digest.SHA256),
                layout.blobsDir().resolve(Digest.SHA512))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    boolean candidate = dir.equals(layout.uploadsDir()) || name.startsWith(".tmp-");
                    Path stamp = Files.isDirectory(entry) ? entry.resolve("data") : entry;
                    if (candidate && Files.exists(stamp)
                            && Files.getLastModifiedTime(stamp).toInstant().isBefore(before)) {
                        DurableFiles.deleteTree(entry);
                        removed++;
                    }
                }
            } catch (IOException e) {
                throw new SystemFailureException("cannot clean " + dir + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }
}
