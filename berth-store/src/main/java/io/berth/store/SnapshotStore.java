package io.berth.store;

import io.berth.linux.AtomicFile;
import io.berth.oci.ChainId;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Json;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Unpacked layers, one directory per chain ID under {@code <root>/snapshots} (layout: {@link StoreLayout}).
 * Each directory holds only its own layer's changes (with overlay whiteouts), so an image's root filesystem is
 * the overlay of its snapshots. Keying by chain ID (not diff ID) is what the OCI spec asks: the same layer on
 * top of different parents may need different hardlink copies.
 * <p>
 * Life of a snapshot: unpack into {@code .tmp-<chainId>-<n>} → verify the diff ID → rename to {@code <chainId>}
 * (its {@link SnapshotRecord} written next to it first) → used read-only as a lowerdir → removed by the
 * {@link GarbageCollector} when no image, container or build cache record needs it and no {@link Lease} holds
 * it. A per-chain-ID lock keeps concurrent prepares from unpacking the same layer twice.
 */
public final class SnapshotStore {
    private final StoreLayout layout;
    private final ContentStore content;
    private final Leases leases;
    private final LayerUnpacker unpacker = new LayerUnpacker();
    private final ConcurrentHashMap<Digest, ReentrantLock> locks = new ConcurrentHashMap<>();

    public SnapshotStore(Path root, ContentStore content) {
        this.layout = new StoreLayout(root);
        this.content = content;
        this.leases = content.leases();
        try {
            Files.createDirectories(layout.snapshotsDir());
        } catch (IOException e) {
            throw new SystemFailureException("cannot create " + layout.snapshotsDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes sure every layer is unpacked and returns the lowerdirs in overlay order, topmost layer first.
     *
     * @param layers  layer blobs in the content store, bottom first
     * @param diffIds the image config's diff IDs, same order; each unpacked layer must match its diff ID
     */
    public List<Path> prepare(List<Descriptor> layers, List<Digest> diffIds) {
        if (layers.size() != diffIds.size()) {
            throw new InvalidArgumentException("image has " + layers.size() + " layers but " + diffIds.size()
                    + " diff IDs");
        }
        List<Digest> chainIds = ChainId.all(diffIds);
        List<Path> lowerDirs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Path dir = ensure(chainIds.get(i), layers.get(i).digest(), diffIds.get(i), lowerDirs);
            lowerDirs.addFirst(dir);
        }
        return List.copyOf(lowerDirs);
    }

    /** The lowerdirs of an already prepared chain, topmost first; {@link #prepare} creates them. */
    public List<Path> lowerDirs(List<Digest> diffIds) {
        List<Path> dirs = new ArrayList<>();
        for (Digest chainId : ChainId.all(diffIds)) {
            dirs.addFirst(layout.snapshot(chainId));
        }
        return List.copyOf(dirs);
    }

    private Path ensure(Digest chainId, Digest blob, Digest diffId, List<Path> below) {
        Path dir = layout.snapshot(chainId);
        // Recorded before the chain lock is taken: the collector holds the sweep lock while it tries chain locks.
        leases.touchSnapshot(chainId);
        ReentrantLock lock = locks.computeIfAbsent(chainId, k -> new ReentrantLock());
        lock.lock();
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return dir;
            }
            Path tmp = layout.snapshotsDir().resolve(".tmp-" + chainId.hex() + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            Digest actual;
            try (InputStream in = content.open(blob)) {
                actual = unpacker.unpack(in, tmp, below, blob);
            } catch (IOException e) {
                DirectoryTrees.deleteQuietly(tmp);
                throw new SystemFailureException("cannot read layer " + blob + ": " + e.getMessage(), e);
            }
            if (!actual.equals(diffId)) {
                DirectoryTrees.deleteQuietly(tmp);
                throw new InvalidArgumentException("layer " + blob + " has diff ID " + actual + ", config says "
                        + diffId);
            }
            try {
                commit(tmp, new SnapshotRecord(chainId, diffId, blob));
            } catch (IOException e) {
                DirectoryTrees.deleteQuietly(tmp);
                throw new SystemFailureException("cannot commit snapshot " + chainId + ": " + e.getMessage(), e);
            }
            return dir;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A fresh, not yet created directory to unpack {@code chainId} into outside {@link #prepare} (a layer
     * unpacked while it downloads). It carries the same {@code .tmp-} prefix as prepare's own staging, so
     * {@link #removeLeftovers} deletes it after a crash; hand it to {@link #commitStaged} or
     * {@link #discardStaged}.
     */
    public Path stagingDir(Digest chainId) {
        return layout.snapshotsDir().resolve(".tmp-" + chainId.hex() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /**
     * Renames a staged unpack into place as the snapshot of {@code chainId}, under the same per-chain lock as
     * {@link #prepare}. The caller has verified the staged tree's diff ID. If the snapshot appeared meanwhile
     * the staged tree is deleted and the existing snapshot kept.
     *
     * @return the snapshot directory
     */
    public Path commitStaged(Path staged, Digest chainId, Digest diffId, Digest layer) {
        Path dir = layout.snapshot(chainId);
        // Recorded before the chain lock is taken: the collector holds the sweep lock while it tries chain locks.
        leases.touchSnapshot(chainId);
        ReentrantLock lock = locks.computeIfAbsent(chainId, k -> new ReentrantLock());
        lock.lock();
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                DirectoryTrees.deleteQuietly(staged);
                return dir;
            }
            commit(staged, new SnapshotRecord(chainId, diffId, layer));
            return dir;
        } catch (IOException e) {
            DirectoryTrees.deleteQuietly(staged);
            throw new SystemFailureException("cannot commit snapshot " + chainId + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the snapshot's record, then renames the unpacked tree into place, recording the chain ID in the open
     * leases in the same step for the collector. The record goes first: a crash in between leaves a record
     * without a directory, which the collector removes; never a snapshot nobody can check.
     */
    private void commit(Path unpacked, SnapshotRecord record) throws IOException {
        AtomicFile.write(recordFile(record.chainId()), Json.canonicalBytes(record));
        IOException failed = leases.committing(() -> {
            try {
                leases.touchSnapshot(record.chainId());
                Files.move(unpacked, layout.snapshot(record.chainId()), StandardCopyOption.ATOMIC_MOVE);
                AtomicFile.syncDirectory(layout.snapshotsDir());
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        if (failed != null) {
            throw failed;
        }
    }

    private Path recordFile(Digest chainId) {
        return layout.snapshotsDir().resolve(chainId.hex() + ".json");
    }

    /** The record of a committed snapshot; empty for a snapshot made before records existed. */
    public Optional<SnapshotRecord> record(Digest chainId) {
        try {
            return Optional.of(Json.read(Files.readAllBytes(recordFile(chainId)), SnapshotRecord.class,
                    "snapshot record " + chainId));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // absent or damaged: system check reports the snapshot as unrecorded
        }
    }

    /** Chain IDs that have a record file, with or without a snapshot directory. */
    Set<Digest> recorded() {
        try (Stream<Path> files = Files.list(layout.snapshotsDir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".json"))
                    .map(name -> name.substring(0, name.length() - ".json".length()))
                    .filter(hex -> Digest.isValid(Digest.SHA256 + ":" + hex))
                    .map(hex -> new Digest(Digest.SHA256, hex))
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new SystemFailureException("cannot list snapshot records: " + e.getMessage(), e);
        }
    }

    /** Deletes a record whose snapshot directory is gone. */
    void removeRecord(Digest chainId) {
        try {
            Files.deleteIfExists(recordFile(chainId));
        } catch (IOException e) {
            throw new SystemFailureException("cannot delete snapshot record " + chainId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes a snapshot out of the store by renaming it to a {@code .tmp-rm-} name (atomic for readers) and
     * deleting its record; the caller deletes the returned tree, outside any lock, or a restart's
     * {@link #removeLeftovers} does. Returns null if there was nothing to take or it is in use right now.
     */
    Path detach(Digest chainId) {
        ReentrantLock lock = locks.computeIfAbsent(chainId, k -> new ReentrantLock());
        // Busy means someone is unpacking or committing it right now: leave it to the next sweep.
        if (!lock.tryLock()) {
            return null;
        }
        try {
            Path dir = layout.snapshot(chainId);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                removeRecord(chainId);
                return null;
            }
            Path trash = layout.snapshotsDir().resolve(".tmp-rm-" + chainId.hex() + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            removeRecord(chainId);
            return trash;
        } catch (IOException e) {
            throw new SystemFailureException("cannot remove snapshot " + chainId + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes a staged unpack that will not be committed. */
    public void discardStaged(Path staged) {
        DirectoryTrees.deleteQuietly(staged);
    }

    public boolean has(Digest chainId) {
        leases.touchSnapshot(chainId);
        return Files.isDirectory(layout.snapshot(chainId), LinkOption.NOFOLLOW_LINKS);
    }

    public Path path(Digest chainId) {
        return layout.snapshot(chainId);
    }

    /**
     * Deletes a snapshot. The caller decides it is unused (no image and no container refers to it); the rename
     * first makes the removal atomic for readers, then the tree is deleted.
     */
    public void remove(Digest chainId) {
        ReentrantLock lock = locks.computeIfAbsent(chainId, k -> new ReentrantLock());
        lock.lock();
        Path trash;
        try {
            trash = detach(chainId);
        } finally {
            lock.unlock();
        }
        if (trash != null) {
            try {
                DirectoryTrees.deleteRecursively(trash);
            } catch (IOException e) {
                throw new SystemFailureException("cannot remove snapshot " + chainId + ": " + e.getMessage(), e);
            }
        }
    }

    /** Chain IDs of all committed snapshots. */
    public Set<Digest> list() {
        try (Stream<Path> dirs = Files.list(layout.snapshotsDir())) {
            return dirs.map(p -> p.getFileName().toString())
                    .filter(name -> Digest.isValid(Digest.SHA256 + ":" + name))
                    .map(hex -> new Digest(Digest.SHA256, hex))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new SystemFailureException("cannot list snapshots: " + e.getMessage(), e);
        }
    }

    /** Deletes half-unpacked snapshots a crash left behind; call at startup. */
    public void removeLeftovers() {
        try (Stream<Path> dirs = Files.list(layout.snapshotsDir())) {
            for (Path p : dirs.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                DirectoryTrees.deleteRecursively(p);
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot clean snapshots: " + e.getMessage(), e);
        }
    }
}
