package io.berth.registry.client;

import io.berth.oci.ChainId;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageReference;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.store.ImageRecord;
import io.berth.store.StoreServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Pulls that unpack the layer while it downloads, against a real distribution registry. */
@Tag("privileged")
class StreamingUnpackPullTest {
    @TempDir
    static Path registryDir;
    private static DistributionRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRegistry() throws Exception {
        assumeTrue(DistributionRegistry.available(), "docker-registry (distribution 2.8) is not installed");
        registry = DistributionRegistry.start(registryDir, null);
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private RegistryClientConfig config(boolean unpack) {
        return RegistryClientConfig.defaults().withCredentials(new CredentialStore(tmp.resolve("docker/config.json")))
                .withUnpackOnPull(unpack);
    }

    private StoreServices store(String name) {
        return StoreServices.open(tmp.resolve(name));
    }

    private ImageReference pushed(StoreServices source, ImageRecord image, String repo) {
        ImageReference target = ImageReference.parse(registry.domain() + "/" + repo);
        try (RegistryClient client = new RegistryClient(config(true), source)) {
            client.push(target, image.id(), null, PushCompression.NONE, e -> { });
        }
        return target;
    }

    /** Whether each layer's snapshot existed when its download reported "Download complete". */
    private static ProgressListener snapshotAtDownloadComplete(StoreServices store, Map<String, Digest> chainOfLayer,
                                                               Map<String, Boolean> seen) {
        return event -> {
            Digest chain = event.id() == null ? null : chainOfLayer.get(event.id());
            if (chain != null && "Download complete".equals(event.status())) {
                seen.put(event.id(), store.snapshots().has(chain));
            }
        };
    }

    private static ImageRecord twoLayerImage(StoreServices source, String ref) {
        byte[] base = TestImages.tar(TestImages.files("etc/os-release", "ID=berth\n", "bin/tool", "#!/bin/sh\n",
                "usr/share/doc/readme", "streamed while downloading"));
        byte[] random = TestImages.randomTar("data/blob.bin", 3_000_000, 11);
        byte[] top = TestImages.tar(TestImages.files("etc/motd", "second layer\n"));
        return TestImages.layered(source, List.of(concatTars(base, random), top), true, ref);
    }

    /** One tar holding the entries of both (drops the first tar's end-of-archive blocks). */
    private static byte[] concatTars(byte[] first, byte[] second) {
        int end = first.length;
        while (end >= 512 && Arrays.equals(first, end - 512, end, new byte[512], 0, 512)) {
            end -= 512;
        }
        byte[] out = Arrays.copyOf(first, end + second.length);
        System.arraycopy(second, 0, out, end, second.length);
        return out;
    }

    private static Map<String, Digest> chainsByLayerId(StoreServices source, ImageRecord image) {
        List<Descriptor> layers = source.images().manifest(image.id()).layers();
        List<Digest> chains = ChainId.all(source.images().diffIds(image.id()));
        Map<String, Digest> byId = new TreeMap<>();
        for (int i = 0; i < layers.size(); i++) {
            byId.put(layers.get(i).digest().shortId(), chains.get(i));
        }
        return byId;
    }

    @Test
    void theBottomLayerIsUnpackedDuringItsDownloadAndMatchesTheUnpackAfterDownload() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = twoLayerImage(source, "two:1");
        ImageReference target = pushed(source, image, "stream/two:1");
        Map<String, Digest> chains = chainsByLayerId(source, image);
        String bottom = source.images().manifest(image.id()).layers().getFirst().digest().shortId();
        String upper = source.images().manifest(image.id()).layers().getLast().digest().shortId();

        StoreServices streamed = store("streamed");
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        try (RegistryClient client = new RegistryClient(config(true), streamed)) {
            client.pull(target, null, snapshotAtDownloadComplete(streamed, chains, seen));
        }
        // Committed before the download finished: only the streaming path does that. The upper layer needs the
        // bottom snapshot for hardlinks, which did not exist yet when its download started.
        assertThat(seen).containsEntry(bottom, true).containsEntry(upper, false);

        StoreServices classic = store("classic");
        try (RegistryClient client = new RegistryClient(config(false), classic)) {
            client.pull(target, null, e -> { });
        }
        assertThat(classic.snapshots().list()).isEmpty();
        List<Path> classicDirs = classic.images().lowerDirs(image.id());
        List<Path> streamedDirs = streamed.images().lowerDirs(image.id());
        assertThat(streamedDirs).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(tree(streamedDirs.get(i))).isEqualTo(tree(classicDirs.get(i)));
        }
        assertThat(Files.readString(streamedDirs.getLast().resolve("usr/share/doc/readme")))
                .isEqualTo("streamed while downloading");
        assertThat(leftovers(streamed)).isEmpty();
    }

    @Test
    void aBlobThatFailsItsDigestLeavesNoSnapshotEvenThoughItUnpacksToTheRightDiffId() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.layered(source,
                List.of(TestImages.randomTar("r.bin", 500_000, 5)), true, "corrupt:1");
        ImageReference target = pushed(source, image, "stream/corrupt:1");
        Descriptor layer = source.images().manifest(image.id()).layers().getFirst();
        // The gzip header's mtime is not part of the uncompressed stream: the blob no longer matches its digest
        // but still unpacks to the config's diff ID, so only the blob check can keep the snapshot out.
        Path data = registryDir.resolve("storage/docker/registry/v2/blobs/sha256")
                .resolve(layer.digest().hex().substring(0, 2)).resolve(layer.digest().hex()).resolve("data");
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
            file.seek(4);
            file.write(file.read() ^ 0x01);
        }

        StoreServices fresh = store("fresh");
        try (RegistryClient client = new RegistryClient(config(true), fresh)) {
            assertThatThrownBy(() -> client.pull(target, null, e -> { }))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("does not match its digest");
        }
        assertThat(fresh.content().has(layer.digest())).isFalse();
        assertThat(fresh.snapshots().list()).isEmpty();
        assertThat(leftovers(fresh)).isEmpty();
    }

    @Test
    void aResumedDownloadIsUnpackedAfterwardsInstead() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.randomTar("half.bin", 400_000, 6), "resume:1");
        ImageReference target = pushed(source, image, "stream/resume:1");
        Descriptor layer = source.images().manifest(image.id()).layers().getFirst();
        Map<String, Digest> chains = chainsByLayerId(source, image);

        StoreServices fresh = store("fresh");
        Path downloads = Files.createDirectories(tmp.resolve("fresh/downloads"));
        byte[] blob = source.content().read(layer.digest());
        Files.write(BlobDownload.partialFile(downloads, layer.digest()), Arrays.copyOf(blob, blob.length / 2));
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        try (RegistryClient client = new RegistryClient(config(true), fresh)) {
            client.pull(target, null, snapshotAtDownloadComplete(fresh, chains, seen));
        }
        assertThat(seen).containsEntry(layer.digest().shortId(), false);
        Path snapshot = fresh.images().lowerDirs(image.id()).getFirst();
        assertThat(Files.readAllBytes(snapshot.resolve("half.bin")))
                .isEqualTo(Files.readAllBytes(source.images().lowerDirs(image.id()).getFirst().resolve("half.bin")));
        assertThat(leftovers(fresh)).isEmpty();
    }

    /** Relative path → "dir", "link:target" or the file's mode and content, for comparing two snapshots. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String name = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    entries.put(name, "link:" + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(name, "dir " + Files.getPosixFilePermissions(p));
                } else {
                    entries.put(name, Files.getPosixFilePermissions(p) + " "
                            + Digest.sha256(Files.readAllBytes(p)));
                }
            }
        }
        return entries;
    }

    private static List<Path> leftovers(StoreServices store) throws IOException {
        try (Stream<Path> dirs = Files.list(store.layout().snapshotsDir())) {
            return dirs.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }
}
