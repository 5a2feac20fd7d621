package io.berth.build.exec;

import io.berth.oci.Descriptor;
import io.berth.oci.HistoryEntry;
import io.berth.oci.ImageConfig;
import io.berth.oci.RootFs;
import io.berth.oci.errors.SystemFailureException;
import io.berth.store.ImageRecord;
import io.berth.store.Lease;
import io.berth.store.StoreServices;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's writable layer read the way the builder reads a RUN step's ({@link UpperDirDiff}): the upper
 * dir's files, overlay's 0/0 character-device whiteouts and opaque directories. {@code docker diff} lists those
 * entries as changes; {@code docker commit} writes them as one more layer over the container's image
 * ({@link StateCommitter}, with OCI {@code .wh.} names) and registers the result as an image.
 */
public final class ContainerLayer {
    /** Docker's change kinds: 0 modified, 1 added, 2 deleted. */
    public record Change(String path, int kind) {
        public static final int MODIFIED = 0;
        public static final int ADDED = 1;
        public static final int DELETED = 2;
    }

    /** What a commit adds to its base image: the config to run with, and who and what the history names. */
    public record Commit(io.berth.oci.ContainerConfig config, String author, String comment, String createdBy) {}

    private ContainerLayer() {
    }

    /**
     * The changes in {@code upper} over {@code lowerDirs} (topmost first), in path order, paths absolute: a
     * whiteout is a deletion, and so is an opaque directory the image has (Docker's overlay rule: it was removed
     * and created again; its new contents follow); another path the image has is a modification, anything else
     * an addition.
     */
    public static List<Change> changes(Path upper, List<Path> lowerDirs) {
        RootfsView lower = new RootfsView(lowerDirs);
        List<LayerEntry> entries = entries(upper, lower);
        // An opaque directory the image has was removed and made anew: Docker lists it as deleted.
        java.util.Set<String> opaque = new java.util.HashSet<>();
        entries.stream().filter(e -> e.kind() == LayerEntry.Kind.OPAQUE).forEach(e -> opaque.add(e.name()));
        List<Change> out = new ArrayList<>();
        for (LayerEntry e : entries) {
            if (e.kind() == LayerEntry.Kind.OPAQUE) {
                continue; // the directory's own entry reports it
            }
            boolean inImage = lower.find(e.name()).isPresent();
            int kind = e.kind() == LayerEntry.Kind.WHITEOUT || (inImage && opaque.contains(e.name())) ? Change.DELETED
                    : inImage ? Change.MODIFIED : Change.ADDED;
            out.add(new Change("/" + e.name(), kind));
        }
        return out;
    }

    /**
     * The first half of {@code docker commit}, the only part that reads the container's files (so the only part
     * a paused container must stay frozen for): its upper dir written as a layer tar into {@code tmpDir}, or no
     * tar when nothing changed. The capture holds a store lease until it is closed, so neither the tar nor what
     * {@link #commit} then stores is swept meanwhile. File mtimes in the layer are the capture time (the layer
     * writer keeps one instant for every entry).
     */
    public static Captured capture(StoreServices store, Path tmpDir, Path upper, List<Path> lowerDirs) {
        Lease lease = store.leases().acquire("commit");
        try {
            Instant now = Instant.now();
            List<LayerEntry> entries = entries(upper, new RootfsView(lowerDirs));
            return new Captured(lease, entries.isEmpty() ? null : StateCommitter.writeLayerTar(tmpDir, entries, now), now);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** A container's changes written out, waiting to be committed; closing it deletes the tar. */
    public static final class Captured implements AutoCloseable {
        private final Lease lease;
        private final Path tar;
        private final Instant time;

        private Captured(Lease lease, Path tar, Instant time) {
            this.lease = lease;
            this.tar = tar;
            this.time = time;
        }

        @Override
        public void close() {
            StateCommitter.deleteQuietly(tar);
            lease.close();
        }
    }

    /**
     * The second half of {@code docker commit}: the base image's layers plus the captured layer (none when
     * nothing changed: the history entry is then an empty layer, as Docker records it), the given config and a
     * history entry, registered in the image store and unpacked, ready to run.
     */
    public static ImageRecord commit(StoreServices store, Path tmpDir, ImageRecord base, Captured captured, Commit commit) {
        String created = captured.time.toString();
        StateCommitter committer = new StateCommitter(store.content(), tmpDir);
        Descriptor layer = captured.tar == null ? null : committer.putLayerTar(captured.tar);
        ImageConfig old = base.config();
        List<Descriptor> layers = new ArrayList<>(store.images().manifest(base.id()).layers());
        List<io.berth.oci.Digest> diffIds = new ArrayList<>(old.diffIds());
        if (layer != null) {
            layers.add(layer);
            diffIds.add(layer.digest());
        }
        List<HistoryEntry> history = new ArrayList<>(old.history() == null ? List.of() : old.history());
        history.add(new HistoryEntry(created, commit.createdBy(), empty(commit.author()), empty(commit.comment()),
                layer == null ? Boolean.TRUE : null));
        ImageConfig config = new ImageConfig(old.architecture(), old.os(), old.variant(), created, empty(commit.author()),
                commit.config(), RootFs.layers(diffIds), history);
        BuildState state = committer.write(config, layers);
        ImageRecord record = store.images().add(state.manifestDigest(), List.of());
        // unpacks the new layer into its snapshot now, so the image is ready to run and its entries are checked
        store.images().lowerDirs(record.id());
        return record;
    }

    private static List<LayerEntry> entries(Path upper, RootfsView lower) {
        try {
            return UpperDirDiff.diff(upper, lower);
        } catch (IOException e) {
            throw new SystemFailureException("cannot read the container's changes: " + e.getMessage(), e);
        }
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
