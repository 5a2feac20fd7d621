package io.berth.build.exec;

import io.berth.oci.Digest;
import io.berth.oci.errors.SystemFailureException;
import io.berth.runtime.OverlayMounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * The directories behind {@code RUN --mount}: BuildKit-style cache directories that outlive builds, and the scratch
 * space of one RUN's other mounts.
 * <pre>
 * &lt;cacheDir&gt;/
 * ├── mounts/&lt;sha256 of id&gt;/      one cache directory per id, kept across builds until `builder prune`
 * └── run-mounts/&lt;random&gt;/        one RUN's scratch: a private cache, each bind's overlay (N/upper, N/work, N/merged)
 * </pre>
 * A new cache directory is made under a temp name with its mode and owner and renamed into place, so a kill leaves
 * it whole or absent. {@code run-mounts} only matters while a RUN runs: berthd's start unmounts and deletes what a
 * kill left there. Cache sharing as BuildKit's: {@code shared} RUNs use the directory at once, a {@code locked}
 * one waits for the previous user, a {@code private} one gets a fresh directory of its own when it is in use
 * (berth then discards it after the RUN; BuildKit keeps it as another instance).
 */
final class CacheMounts {
    private final Path mountsDir;
    private final Path scratchDir;
    private final Map<String, Integer> users = new HashMap<>();
    private final Map<String, Semaphore> locks = new HashMap<>();

    CacheMounts(Path cacheDir) {
        this.mountsDir = cacheDir.resolve("mounts");
        this.scratchDir = cacheDir.resolve("run-mounts");
        try {
            Files.createDirectories(mountsDir);
            Files.createDirectories(scratchDir);
            sweepScratch();
            try (Stream<Path> s = Files.list(mountsDir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".new-")).toList()) deleteTree(p);
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot prepare build cache mounts under " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    /** A cache directory lent to one RUN; closing it ends the use. */
    interface Use extends AutoCloseable {
        Path dir();

        @Override
        void close();
    }

    /** A new scratch directory for one RUN's mounts ({@link RunMounts} deletes it). */
    Path newScratch() throws IOException {
        return Files.createDirectory(scratchDir.resolve(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())));
    }

    Use acquire(RunMount m, Path runScratch) throws IOException {
        String key = Digest.sha256(m.id().getBytes(StandardCharsets.UTF_8)).hex();
        Semaphore lock;
        synchronized (this) {
            if (m.sharing() == RunMount.Sharing.PRIVATE && users.getOrDefault(key, 0) > 0) {
                Path own = runScratch.resolve("cache-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
                create(own, m);
                return use(own, () -> { });
            }
            users.merge(key, 1, Integer::sum);
            lock = m.sharing() == RunMount.Sharing.LOCKED ? locks.computeIfAbsent(key, k -> new Semaphore(1)) : null;
        }
        Runnable release = () -> {
            if (lock != null) lock.release();
            synchronized (this) {
                users.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
            }
        };
        try {
            if (lock != null) lock.acquireUninterruptibly();
            Path dir = mountsDir.resolve(key);
            if (!Files.isDirectory(dir)) {
                Path staging = mountsDir.resolve(".new-" + key + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
                create(staging, m);
                try {
                    Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException madeMeanwhile) {
                    deleteTree(staging);
                }
            }
            return use(dir, release);
        } catch (IOException | RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** `builder prune`: deletes every cache directory no RUN uses now; returns how many. */
    synchronized int prune() {
        int n = 0;
        try (Stream<Path> s = Files.list(mountsDir)) {
            for (Path p : s.toList()) {
                if (users.containsKey(p.getFileName().toString())) continue;
                deleteTree(p);
                n++;
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot prune build cache mounts: " + e.getMessage(), e);
        }
        return n;
    }

    private static Use use(Path dir, Runnable release) {
        return new Use() {
            private boolean closed;

            @Override
            public Path dir() {
                return dir;
            }

            @Override
            public synchronized void close() {
                if (closed) return;
                closed = true;
                release.run();
            }
        };
    }

    /** The owner first: a chown clears set-id bits that the mode then sets. */
    private static void create(Path dir, RunMount m) throws IOException {
        Files.createDirectory(dir);
        Files.setAttribute(dir, "unix:uid", m.uid());
        Files.setAttribute(dir, "unix:gid", m.gid());
        Files.setAttribute(dir, "unix:mode", m.mode());
    }

    /** What a killed RUN left: its overlays unmounted first, so that no delete ever reaches through one. */
    private void sweepScratch() throws IOException {
        try (Stream<Path> runs = Files.list(scratchDir)) {
            for (Path run : runs.toList()) discardScratch(run);
        }
    }

    /** Unmounts the overlays of one RUN's scratch and deletes it; a mount that stays keeps the directory. */
    static void discardScratch(Path run) throws IOException {
        boolean mountedLeft = false;
        if (Files.isDirectory(run)) {
            try (Stream<Path> parts = Files.list(run)) {
                for (Path part : parts.toList()) {
                    Path merged = part.resolve("merged");
                    OverlayMounts.unmount(merged);
                    mountedLeft |= OverlayMounts.isMounted(merged);
                }
            }
        }
        if (!mountedLeft) deleteTree(run);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
