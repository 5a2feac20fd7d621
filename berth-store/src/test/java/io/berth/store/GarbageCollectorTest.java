package io.berth.store;

import io.berth.oci.ChainId;
import io.berth.oci.ContainerConfig;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.ImageManifest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.RootFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The collector's reachability rules and leases, and system check, against a temp store. */
class GarbageCollectorTest {
    @TempDir
    Path root;

    private static byte[] rootfs(String marker) {
        return new TarBuilder().dir("./").file("./" + marker, marker, 0644, 0, 0).build();
    }

    private static ImageRecord image(StoreServices store, String marker, String tag) {
        return store.importer().importRootfs(new ByteArrayInputStream(rootfs(marker)), tag, null, null);
    }

    @Test
    void removesOnlyWhatNoImageReferences() {
        StoreServices store = StoreServices.open(root);
        ImageRecord kept = image(store, "kept", "kept:1");
        Digest orphan = store.content().put("left by a failed load".getBytes());
        Digest keptLayer = kept.config().diffIds().getFirst();

        GarbageCollector.Report report = store.gc().collect();

        assertThat(report.removed()).extracting(GarbageCollector.Removed::what).containsExactly("blob " + orphan);
        assertThat(report.bytes()).isEqualTo("left by a failed load".length());
        assertThat(store.content().has(orphan)).isFalse();
        assertThat(store.content().has(keptLayer)).isTrue();
        assertThat(store.content().has(kept.id())).isTrue();
        assertThat(store.content().has(kept.manifestDigest())).isTrue();
        assertThat(store.snapshots().has(ChainId.of(List.of(keptLayer)))).isTrue();
        assertThat(store.check().run(false).problems()).isEmpty();
    }

    @Test
    void aLeaseKeepsWhatItWroteUntilItEnds() {
        StoreServices store = StoreServices.open(root);
        Digest blob;
        Digest chain;
        try (Lease lease = store.leases().acquire("load")) {
            blob = store.content().put(rootfs("in-flight"));
            Descriptor layer = Descriptor.of(MediaTypes.OCI_LAYER_TAR, blob, store.content().size(blob));
            store.snapshots().prepare(List.of(layer), List.of(blob));
            chain = ChainId.of(List.of(blob));

            assertThat(store.gc().collect().removed()).isEmpty();
            assertThat(store.gc().reclaimable().removed()).isEmpty();
            assertThat(store.content().has(blob)).isTrue();
            assertThat(store.snapshots().has(chain)).isTrue();
        }
        GarbageCollector.Report after = store.gc().collect();
        assertThat(after.removed()).extracting(GarbageCollector.Removed::what)
                .containsExactlyInAnyOrder("blob " + blob, "snapshot " + chain);
        assertThat(store.content().has(blob)).isFalse();
        assertThat(store.snapshots().has(chain)).isFalse();
        assertThat(Files.exists(root.resolve("snapshots").resolve(chain.hex() + ".json"))).isFalse();
    }

    @Test
    void reusingAnUnreferencedBlobUnderALeaseKeepsIt() {
        StoreServices store = StoreServices.open(root);
        Digest orphan = store.content().put("an orphan a pull is about to reuse".getBytes());
        try (Lease lease = store.leases().acquire("pull")) {
            assertThat(store.content().has(orphan)).isTrue(); // "Already exists": the pull builds on it
            store.gc().collect();
            assertThat(store.content().has(orphan)).isTrue();
        }
    }

    @Test
    void aLeaseOfADeadDaemonIsOverAtTheNextStart() throws Exception {
        StoreServices first = StoreServices.open(root);
        ImageRecord kept = image(first, "kept", "kept:1");
        Lease abandoned = first.leases().acquire("load killed with -9");
        Digest half = first.content().put(rootfs("half"));
        Files.writeString(first.layout().tmpDir().resolve("extracted-archive"), "dead");
        Files.writeString(first.layout().blobsDir().resolve(".tmp-0123"), "half-written blob");
        Files.createDirectories(first.layout().snapshotsDir().resolve(".tmp-abc-1"));
        // abandoned is never closed: the process is gone

        StoreServices second = StoreServices.open(root);
        second.gc().collectAtStart();

        assertThat(second.content().has(half)).isFalse();
        assertThat(second.content().has(kept.id())).isTrue();
        assertThat(second.images().resolve("kept:1").id()).isEqualTo(kept.id());
        try (var leftovers = Files.list(root.resolve("blobs").resolve("sha256"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
        }
        assertThat(second.check().run(false).problems()).isEmpty();
        assertThat(abandoned.purpose()).isNotEmpty();
    }

    @Test
    void aManifestRootKeepsItsConfigLayersAndSnapshotsUntilItGoes() {
        StoreServices store = StoreServices.open(root);
        byte[] tar = rootfs("cached-step");
        Digest layer;
        Digest config;
        Digest manifest;
        try (Lease lease = store.leases().acquire("build")) {
            layer = store.content().put(tar);
            Descriptor layerDescriptor = Descriptor.of(MediaTypes.OCI_LAYER_TAR, layer, tar.length);
            store.snapshots().prepare(List.of(layerDescriptor), List.of(layer));
            byte[] configBytes = Json.canonicalBytes(new ImageConfig("amd64", "linux", null, null, null,
                    ContainerConfig.empty(), RootFs.layers(List.of(layer)), List.of()));
            config = store.content().put(configBytes);
            manifest = store.content().put(Json.canonicalBytes(ImageManifest.oci(
                    Descriptor.of(MediaTypes.OCI_CONFIG, config, configBytes.length), List.of(layerDescriptor))));
        }
        List<StoreReference> cache = new CopyOnWriteArrayList<>(List.of(
                new StoreReference("build cache", StoreReference.Kind.MANIFEST, manifest, false)));
        store.gc().addRoots(() -> List.copyOf(cache));
        Digest chain = ChainId.of(List.of(layer));

        assertThat(store.gc().collect().removed()).isEmpty();
        assertThat(store.check().run(false).problems()).isEmpty();

        cache.clear(); // builder prune
        assertThat(store.gc().collect().removed()).extracting(GarbageCollector.Removed::what)
                .containsExactlyInAnyOrder("blob " + layer, "blob " + config, "blob " + manifest, "snapshot " + chain);
        assertThat(store.check().run(false).problems()).isEmpty();
    }

    @Test
    void scratchDirectoriesAreEmptiedAtStartAndByASweepWithNoOperationRunning() throws Exception {
        StoreServices store = StoreServices.open(root);
        Path contexts = Files.createDirectories(root.resolve("contexts"));
        Path partials = Files.createDirectories(root.resolve("downloads"));
        store.gc().addScratch(contexts, false);
        store.gc().addScratch(partials, true);
        Files.writeString(contexts.resolve("ctx-1"), "dead build context");
        Files.writeString(partials.resolve("sha256-ab.partial"), "resumable");

        store.gc().collectAtStart();
        assertThat(contexts.resolve("ctx-1")).doesNotExist();
        assertThat(partials.resolve("sha256-ab.partial")).as("a pull resumes it after a restart").exists();
        assertThat(store.check().run(false).notes()).singleElement().asString().contains("sha256-ab.partial");
        assertThat(store.check().run(false).problems()).isEmpty();

        Files.writeString(contexts.resolve("ctx-2"), "a build receiving its context");
        try (Lease lease = store.leases().acquire("build")) {
            store.gc().collect();
            assertThat(contexts.resolve("ctx-2")).exists();
            assertThat(partials.resolve("sha256-ab.partial")).exists();
        }
        store.gc().collect();
        assertThat(contexts.resolve("ctx-2")).doesNotExist();
        assertThat(partials.resolve("sha256-ab.partial")).doesNotExist();
    }

    @Test
    void checkFindsACorruptBlobAMismatchedSnapshotAndADanglingReference() throws Exception {
        StoreServices store = StoreServices.open(root);
        ImageRecord image = image(store, "checked", "checked:1");
        Digest layer = image.config().diffIds().getFirst();
        Digest chain = ChainId.of(List.of(layer));
        Digest orphan = store.content().put("orphan".getBytes());
        Files.writeString(store.content().path(image.id()), "{\"tampered\":true}");
        Files.writeString(root.resolve("snapshots").resolve(chain.hex() + ".json"),
                "{\"chainId\":\"" + chain + "\",\"diffId\":\"" + orphan + "\",\"layer\":\"" + layer + "\"}");
        Digest gone = Digest.sha256("no such image".getBytes());
        store.gc().addRoots(() -> List.of(new StoreReference("container web", StoreReference.Kind.IMAGE, gone, true)));

        StoreCheck.Result found = store.check().run(false);
        assertThat(found.problems()).extracting(StoreCheck.Problem::object).containsExactlyInAnyOrder(
                "blob " + image.id(), "snapshot " + chain, "container web", "blob " + orphan);
        assertThat(store.content().has(orphan)).isTrue();

        StoreCheck.Result repaired = store.check().run(true);
        assertThat(repaired.repaired()).extracting(GarbageCollector.Removed::what)
                .contains("blob " + orphan).anyMatch(w -> w.startsWith("snapshot " + chain));
        assertThat(store.content().has(orphan)).isFalse();
        assertThat(repaired.problems()).extracting(StoreCheck.Problem::object)
                .containsExactlyInAnyOrder("blob " + image.id(), "container web");
    }
}
