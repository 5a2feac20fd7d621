package io.berth.store;

import io.berth.oci.ChainId;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.ImageManifest;
import io.berth.oci.Json;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Removes store content that nothing references and no lease holds: containerd's garbage collector, on files.
 * <pre>
 *  roots (marked)                              content                          removed when
 *  ─────────────────────────────────────────   ──────────────────────────────   ─────────────────────────────────
 *  images/&lt;id&gt;.json ── manifest, config, ────▶ blobs/sha256/&lt;hex&gt;              unmarked and in no lease
 *  repositories.json   layers (required)  ┌─▶ snapshots/&lt;chainId&gt;/ + .json     unmarked and in no lease
 *       └──────────── layer chain IDs ─────┤
 *  build cache steps ── manifest ▶ config, ┤   (a manifest root keeps its config and layers and
 *                       layers, chains     │    the snapshots of those layers, if present)
 *  containers ───────── image, lowerdirs ──┘
 *  open leases (in memory only) ── every blob and chain ID an operation committed or reused while open
 *
 *  temp and partial files                                                       removed
 *  ─────────────────────────────────────────────────────────────────────────   ─────────────────────────────────
 *  blobs/*&#47;.tmp-*, snapshots/.tmp-*, store/tmp/*, scratch dirs                  at start; at a sweep with no lease open
 *  (build-cache/tmp, build-contexts)
 *  images/.tmp-*, .tmp-repositories.json-*  (half-written metadata)            at start
 *  resumable dirs (store/downloads: partial pulls that resume after restart)   at a sweep with no lease open
 * </pre>
 * Lifecycle of one operation's content: {@code lease = leases.acquire()} → write blobs and snapshots (each commit
 * recorded in the lease) → write the image record or cache record that references them → {@code lease.close()}.
 * A crash anywhere in between leaves content that no record references and, since leases live only in memory,
 * no lease holds: the sweep at the next start removes it, together with the temp files of the dead operation.
 * <p>
 * A sweep runs at daemon start ({@link #collectAtStart}) and after every prune ({@link #collect}); {@link
 * #reclaimable} is the same mark without deleting, for {@code system df}. The mark reads the roots without
 * holding any lock; {@link Leases} keeps the leases closed meanwhile in the held set, and the deletions happen
 * under its sweep lock, so content registered or leased concurrently is never lost.
 */
public final class GarbageCollector {
    private static final System.Logger LOG = System.getLogger(GarbageCollector.class.getName());

    /**
     * What a sweep removed, or would remove: one line per item, with the bytes it took. {@code resumable} marks a
     * partial download, which is state a later pull resumes rather than a dead operation's leftover.
     */
    public record Removed(String what, long bytes, boolean resumable) {
    }

    public record Report(List<Removed> removed) {
        public Report {
            removed = List.copyOf(removed);
        }

        public long bytes() {
            return removed.stream().mapToLong(Removed::bytes).sum();
        }
    }

    private record Marked(Set<Digest> blobs, Set<Digest> snapshots) {
    }

    private record Scratch(Path dir, boolean survivesRestart) {
    }

    private record Temporary(Path path, boolean resumable) {
    }

    private final StoreLayout layout;
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final ImageStore images;
    private final Leases leases;
    private final List<RootSource> sources = new CopyOnWriteArrayList<>();
    private final List<Scratch> scratch = new CopyOnWriteArrayList<>();

    public GarbageCollector(StoreLayout layout, ContentStore content, SnapshotStore snapshots, ImageStore images) {
        this.layout = layout;
        this.content = content;
        this.snapshots = snapshots;
        this.images = images;
        this.leases = content.leases();
    }

    /** Adds a keeper of content besides the image records (containers, the build cache). */
    public void addRoots(RootSource source) {
        sources.add(source);
    }

    /**
     * Adds a directory whose entries only live as long as the operation that made them: emptied at start and by
     * a sweep with no lease open. {@code survivesRestart} keeps its entries at start (partial downloads, which a
     * later pull resumes).
     */
    public void addScratch(Path dir, boolean survivesRestart) {
        scratch.add(new Scratch(dir, survivesRestart));
    }

    /** Every reference from image records, tags and the registered root sources. */
    public List<StoreReference> references() {
        List<StoreReference> all = new ArrayList<>(images.references());
        for (RootSource source : sources) {
            all.addAll(source.references());
        }
        return all;
    }

    /** The sweep at daemon start: no operation is running, so every temp file is a dead operation's. */
    public synchronized Report collectAtStart() {
        Report report = sweep(true, true);
        if (!report.removed().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "store collector at start removed " + report.removed().size()
                    + " items, " + report.bytes() + " bytes");
        }
        return report;
    }

    /** The sweep after a prune: unreferenced, unleased content; temp files only while no operation runs. */
    public synchronized Report collect() {
        return sweep(false, true);
    }

    /** What {@link #collect} would remove now, without removing it. */
    public synchronized Report reclaimable() {
        return sweep(false, false);
    }

    private Report sweep(boolean atStart, boolean delete) {
        leases.beginCollection();
        try {
            Marked marked = mark();
            List<Path> trash = new ArrayList<>();
            List<Path> tempTrash = new ArrayList<>();
            List<Removed> removed = leases.exclusive(held -> {
                List<Removed> items = new ArrayList<>();
                // Listed first, so that the snapshots this sweep detaches are not reported a second time as temps.
                List<Temporary> temporaries = atStart || !held.anyOpen() ? temporaries(atStart) : List.of();
                for (Digest blob : content.list()) {
                    if (!marked.blobs().contains(blob) && !held.blobs().contains(blob)) {
                        long size = sizeOf(content.path(blob));
                        if (delete) {
                            content.delete(blob);
                        }
                        items.add(new Removed("blob " + blob, size, false));
                    }
                }
                for (Digest chain : snapshots.list()) {
                    if (!marked.snapshots().contains(chain) && !held.snapshots().contains(chain)) {
                        long size = sizeOf(snapshots.path(chain));
                        if (delete) {
                            Path detached = snapshots.detach(chain);
                            if (detached == null) {
                                continue; // being unpacked or committed right now
                            }
                            trash.add(detached);
                        }
                        items.add(new Removed("snapshot " + chain, size, false));
                    }
                }
                Set<Digest> committed = snapshots.list();
                for (Digest chain : snapshots.recorded()) {
                    if (!committed.contains(chain) && !held.snapshots().contains(chain)) {
                        if (delete) {
                            snapshots.removeRecord(chain);
                        }
                        items.add(new Removed("snapshot record " + chain, 0, false));
                    }
                }
                for (Temporary temp : temporaries) {
                    items.add(new Removed("temp " + temp.path(), sizeOf(temp.path()), temp.resumable()));
                    if (delete) {
                        tempTrash.add(temp.path());
                    }
                }
                return items;
            });
            // Trees are deleted outside the sweep lock: detached snapshots are out of the store already. Temps are
            // not, and a pull may start (and resume a partial download) once the lock is released: unless this is
            // the start-time sweep, a temp is deleted only while still no operation holds a lease.
            trash.forEach(DirectoryTrees::deleteQuietly);
            for (Path temp : tempTrash) {
                if (atStart || !leases.anyOpen()) DirectoryTrees.deleteQuietly(temp);
            }
            return new Report(removed);
        } finally {
            leases.endCollection();
        }
    }

    private Marked mark() {
        Set<Digest> blobs = new HashSet<>();
        Set<Digest> chains = new HashSet<>();
        for (StoreReference ref : references()) {
            switch (ref.kind()) {
                case BLOB -> blobs.add(ref.digest());
                case SNAPSHOT -> chains.add(ref.digest());
                case MANIFEST -> markManifest(ref.digest(), blobs, chains);
                case IMAGE -> {
                    // image records are roots of their own
                }
            }
        }
        return new Marked(blobs, chains);
    }

    /** A manifest root (a build cache step) keeps its blobs and its layers' snapshots, as far as they exist. */
    private void markManifest(Digest manifestDigest, Set<Digest> blobs, Set<Digest> chains) {
        blobs.add(manifestDigest);
        if (!Files.isRegularFile(content.path(manifestDigest))) {
            return;
        }
        try {
            ImageManifest manifest = Json.read(content.read(manifestDigest), ImageManifest.class,
                    "manifest " + manifestDigest);
            if (manifest.config() == null) {
                return;
            }
            blobs.add(manifest.config().digest());
            manifest.layers().stream().map(Descriptor::digest).forEach(blobs::add);
            if (Files.isRegularFile(content.path(manifest.config().digest()))) {
                ImageConfig config = Json.read(content.read(manifest.config().digest()), ImageConfig.class,
                        "image config " + manifest.config().digest());
                if (!config.diffIds().isEmpty()) {
                    chains.addAll(ChainId.all(config.diffIds()));
                }
            }
        } catch (RuntimeException e) {
            // A damaged cache record keeps only its manifest; system check reports the damage.
            LOG.log(System.Logger.Level.WARNING, "cannot read " + manifestDigest + ": " + e.getMessage());
        }
    }

    /** Temp files of dead operations (see the drawing); at start also half-written metadata. */
    private List<Temporary> temporaries(boolean atStart) {
        List<Path> found = new ArrayList<>();
        List<Temporary> all = new ArrayList<>();
        try (Stream<Path> algorithms = Files.list(layout.root().resolve("blobs"))) {
            for (Path dir : algorithms.toList()) {
                found.addAll(entries(dir, ".tmp-"));
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot list blobs: " + e.getMessage(), e);
        }
        found.addAll(entries(layout.snapshotsDir(), ".tmp-"));
        found.addAll(entries(layout.tmpDir(), ""));
        if (atStart) {
            found.addAll(entries(layout.imagesDir(), ".tmp-"));
            found.addAll(entries(layout.root(), ".tmp-"));
        }
        found.forEach(p -> all.add(new Temporary(p, false)));
        for (Scratch s : scratch) {
            if (!atStart || !s.survivesRestart()) {
                entries(s.dir(), "").forEach(p -> all.add(new Temporary(p, s.survivesRestart())));
            }
        }
        return all;
    }

    private static List<Path> entries(Path dir, String prefix) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new SystemFailureException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return DirectoryTrees.diskUsage(p);
            }
            return Files.size(p);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
