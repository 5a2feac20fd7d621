package io.berth.registry.client;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageIndex;
import io.berth.oci.ImageReference;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.Platform;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.NotFoundException;
import io.berth.store.ImageRecord;
import io.berth.store.StoreServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The client against Debian's distribution 2.8 registry (started here on loopback), with a counting proxy in
 * front to see exactly which requests and bytes went over the wire.
 */
@Tag("privileged")
class RegistryClientRoundTripTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret-pass";

    @TempDir
    static Path registryDirs;
    private static DistributionRegistry registry;
    private static DistributionRegistry basicAuthRegistry;
    private static CountingProxy proxy;

    @TempDir
    Path tmp;
    private final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    private final ProgressListener listener = events::add;

    @BeforeAll
    static void startRegistries() throws Exception {
        assumeTrue(DistributionRegistry.available(), "docker-registry (distribution 2.8) is not installed");
        registry = DistributionRegistry.start(Files.createDirectories(registryDirs.resolve("open")), null);
        proxy = new CountingProxy(registry.domain());
        Path htpasswd = registryDirs.resolve("htpasswd");
        Files.writeString(htpasswd, USER + ":" + BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray()) + "\n");
        basicAuthRegistry = DistributionRegistry.start(Files.createDirectories(registryDirs.resolve("basic")), htpasswd);
    }

    @AfterAll
    static void stopRegistries() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (basicAuthRegistry != null) {
            basicAuthRegistry.close();
        }
    }

    @BeforeEach
    void resetProxy() {
        proxy.reset();
    }

    private RegistryClientConfig config() {
        return RegistryClientConfig.defaults().withCredentials(new CredentialStore(tmp.resolve("docker/config.json")));
    }

    private StoreServices store(String name) {
        return StoreServices.open(tmp.resolve(name));
    }

    private static ImageReference ref(String domain, String rest) {
        return ImageReference.parse(domain + "/" + rest);
    }

    private List<String> statuses() {
        return events.stream().map(ProgressEvent::status).toList();
    }

    @Test
    void pushThenPullIntoAFreshStoreGivesTheSameImage() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.textTar("hello.txt", "hello registry"), "hello:1");
        ImageReference target = ref(proxy.domain(), "round/trip:v1");

        PushResult pushed;
        try (RegistryClient client = new RegistryClient(config(), source)) {
            pushed = client.push(target, image.id(), null, listener);
        }
        // the imported layer is stored uncompressed: it goes up gzipped, so the registry's manifest is another
        // one than the stored (same config, so the same image ID), and its digest is what the image records
        Digest registryManifest = pushed.manifestDigest();
        assertThat(registryManifest).isNotEqualTo(image.manifestDigest());
        assertThat(pushed.uploaded()).hasSize(2);
        assertThat(statuses()).contains("Preparing", "Pushed",
                "v1: digest: " + registryManifest + " size: " + pushed.size());
        assertThat(source.images().get(image.id()).orElseThrow().repoDigests())
                .contains(proxy.domain() + "/round/trip@" + registryManifest);
        assertThat(source.images().get(image.id()).orElseThrow().manifestDigest()).isEqualTo(image.manifestDigest());

        events.clear();
        StoreServices fresh = store("fresh");
        PullResult pulled;
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            pulled = client.pull(target, null, listener);
        }
        assertThat(pulled.image().id()).isEqualTo(image.id());
        assertThat(pulled.manifestDigest()).isEqualTo(registryManifest);
        assertThat(pulled.digest()).isEqualTo(registryManifest);
        assertThat(fresh.images().manifest(image.id()).layers()).singleElement()
                .satisfies(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_TAR_GZIP));
        assertThat(pulled.image().repoTags()).containsExactly(proxy.domain() + "/round/trip:v1");
        assertThat(pulled.image().repoDigests()).containsExactly(proxy.domain() + "/round/trip@" + registryManifest);
        assertThat(Files.readString(fresh.images().lowerDirs(image.id()).getFirst().resolve("hello.txt")))
                .isEqualTo("hello registry");
        Digest layer = fresh.images().manifest(image.id()).layers().getFirst().digest();
        assertThat(events).contains(ProgressEvent.of("v1", "Pulling from round/trip"),
                ProgressEvent.of(layer.shortId(), "Pulling fs layer"),
                ProgressEvent.of(layer.shortId(), "Verifying Checksum"),
                ProgressEvent.of(layer.shortId(), "Download complete"),
                ProgressEvent.of(layer.shortId(), "Pull complete"),
                ProgressEvent.message("Digest: " + registryManifest),
                ProgressEvent.message("Status: Downloaded newer image for " + target.familiar()));

        events.clear();
        proxy.reset();
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            PullResult again = client.pull(target, null, listener);
            assertThat(again.newerImage()).isFalse();
        }
        assertThat(proxy.count(CountingProxy.Seen::isBlobGet)).isZero();
        assertThat(statuses()).contains("Already exists", "Status: Image is up to date for " + target.familiar());
    }

    @Test
    void zstdAndAsStoredPushesComeBackAsTheSameImage() throws Exception {
        StoreServices source = store("source");
        byte[] text = "compressible ".repeat(50_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ImageRecord image = TestImages.imported(source, TestImages.tar(java.util.Map.of("text.txt", text)), "z:1");
        long stored = source.images().manifest(image.id()).layers().getFirst().size();
        for (PushCompression compression : PushCompression.values()) {
            ImageReference target = ref(proxy.domain(), "compress/" + compression.id() + ":1");
            PushResult pushed;
            try (RegistryClient client = new RegistryClient(config(), source)) {
                pushed = client.push(target, image.id(), null, compression, listener);
            }
            StoreServices fresh = store("fresh-" + compression.id());
            try (RegistryClient client = new RegistryClient(config(), fresh)) {
                assertThat(client.pull(target, null, listener).image().id()).isEqualTo(image.id());
            }
            Descriptor layer = fresh.images().manifest(image.id()).layers().getFirst();
            assertThat(Files.readAllBytes(fresh.images().lowerDirs(image.id()).getFirst().resolve("text.txt"))).isEqualTo(text);
            switch (compression) {
                case GZIP -> assertThat(layer.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_TAR_GZIP);
                case ZSTD -> assertThat(layer.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_TAR_ZSTD);
                case NONE -> assertThat(pushed.manifestDigest()).isEqualTo(image.manifestDigest());
            }
            if (compression != PushCompression.NONE) assertThat(layer.size()).isLessThan(stored / 20);
        }
    }

    @Test
    void aSecondPushUploadsNoBlob() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.layered(source, List.of(TestImages.textTar("a", "base"),
                TestImages.textTar("b", "top")), false, "twice:1");
        ImageReference target = ref(proxy.domain(), "push/twice:1");
        try (RegistryClient client = new RegistryClient(config(), source)) {
            client.push(target, image.id(), null, listener);
            assertThat(proxy.count(CountingProxy.Seen::isBlobUpload)).isEqualTo(6); // 3 blobs x (POST + PUT)
            proxy.reset();
            events.clear();
            PushResult second = client.push(target, image.id(), null, listener);
            assertThat(second.uploaded()).isEmpty();
            assertThat(second.existing()).hasSize(3);
        }
        assertThat(proxy.count(CountingProxy.Seen::isBlobUpload)).isZero();
        assertThat(proxy.count(s -> s.method().equals("HEAD"))).isEqualTo(3);
        assertThat(statuses()).contains("Layer already exists").doesNotContain("Pushed");
    }

    @Test
    void pullingAnImageWhoseBaseIsPresentDownloadsOnlyTheNewLayer() throws Exception {
        byte[] base = TestImages.textTar("etc/base", "shared base layer");
        StoreServices source = store("source");
        ImageRecord baseImage = TestImages.imported(source, base, "base:1");
        ImageRecord app = TestImages.layered(source, List.of(base, TestImages.textTar("app", "the app")), false,
                "app:1");
        Digest baseLayer = source.images().manifest(baseImage.id()).layers().getFirst().digest();
        Descriptor appLayer = source.images().manifest(app.id()).layers().get(1);
        assertThat(source.images().manifest(app.id()).layers().getFirst().digest()).isEqualTo(baseLayer);
        try (RegistryClient client = new RegistryClient(config(), source)) {
            client.push(ref(proxy.domain(), "layers/base:1"), baseImage.id(), null, PushCompression.NONE, listener);
            client.push(ref(proxy.domain(), "layers/app:1"), app.id(), null, PushCompression.NONE, listener);
        }

        StoreServices fresh = store("fresh");
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            client.pull(ref(proxy.domain(), "layers/base:1"), null, listener);
            proxy.reset();
            events.clear();
            PullResult pulled = client.pull(ref(proxy.domain(), "layers/app:1"), null, listener);
            assertThat(pulled.image().id()).isEqualTo(app.id());
            assertThat(pulled.downloadedBlobs()).containsExactlyInAnyOrder(appLayer.digest(), app.id());
        }
        List<String> blobGets = proxy.requests().stream().filter(CountingProxy.Seen::isBlobGet)
                .map(CountingProxy.Seen::path).toList();
        assertThat(blobGets).hasSize(2).anyMatch(p -> p.endsWith(appLayer.digest().toString()))
                .noneMatch(p -> p.endsWith(baseLayer.toString()));
        assertThat(events).contains(ProgressEvent.of(baseLayer.shortId(), "Already exists"),
                ProgressEvent.of(appLayer.digest().shortId(), "Pull complete"));
    }

    @Test
    void bigBlobsGoUpInChunksAndComeBackWhole() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.randomTar("blob.bin", 300_000, 1), "big:1");
        long layerSize = source.images().manifest(image.id()).layers().getFirst().size();
        ImageReference target = ref(proxy.domain(), "chunked/big:1");
        try (RegistryClient client = new RegistryClient(config().withChunkSize(64 * 1024), source)) {
            client.push(target, image.id(), null, PushCompression.NONE, listener);
        }
        long patches = proxy.count(s -> s.method().equals("PATCH"));
        assertThat(patches).isEqualTo((layerSize + 65535) / 65536);
        assertThat(events).anyMatch(e -> e.status().equals("Pushing") && e.current() == layerSize
                && e.total() == layerSize);

        StoreServices fresh = store("fresh");
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            assertThat(client.pull(target, null, listener).image().id()).isEqualTo(image.id());
        }
        assertThat(events).anyMatch(e -> e.status().equals("Downloading") && e.current() == layerSize);
    }

    @Test
    void aLayerBiggerThanTheUploadWindowGoesUpWhileItIsStillBeingCompressed() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.randomTar("blob.bin", 16 << 20, 5), "stream:1");
        ImageReference target = ref(proxy.domain(), "stream/big:1");
        int chunk = 256 * 1024; // two of them are the upload's whole memory: 1/32 of the layer
        // at each progress event of the layer being read (and compressed), how many PATCHes the registry had
        List<Long> patchesWhileReading = new CopyOnWriteArrayList<>();
        ProgressListener watching = e -> {
            events.add(e);
            if ("Pushing".equals(e.status()) && e.current() < e.total()) {
                patchesWhileReading.add(proxy.count(s -> s.method().equals("PATCH")));
            }
        };
        try (RegistryClient client = new RegistryClient(config().withChunkSize(chunk), source)) {
            client.push(target, image.id(), null, watching);
            try (java.util.stream.Stream<Path> left = Files.list(client.partials())) {
                assertThat(left).isEmpty(); // nothing of the compressed layer went to disk
            }
        }
        assertThat(patchesWhileReading).isNotEmpty().anyMatch(n -> n > 0);

        StoreServices fresh = store("fresh");
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            assertThat(client.pull(target, null, listener).image().id()).isEqualTo(image.id());
        }
        Descriptor pushed = fresh.images().manifest(image.id()).layers().getFirst();
        assertThat(pushed.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_TAR_GZIP);
        assertThat(proxy.count(s -> s.method().equals("PATCH"))).isEqualTo(pushed.size() / chunk);
    }

    @Test
    void anUploadThatFailsMidwayIsCancelledSaysWhyAndLeavesNothingBehind() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.randomTar("blob.bin", 4 << 20, 6), "fails:1");
        ImageReference target = ref(proxy.domain(), "stream/fails:1");
        proxy.failPatchAfter(3);
        try (RegistryClient client = new RegistryClient(config().withChunkSize(256 * 1024), source)) {
            assertThatThrownBy(() -> client.push(target, image.id(), null, listener))
                    .hasMessageContaining("failed and was cancelled")
                    .hasMessageContaining("storage failed (test)");
            assertThat(proxy.requests()).anyMatch(s -> s.method().equals("DELETE")
                    && s.path().startsWith("/v2/stream/fails/blobs/uploads/"));
            Path uploads = registryDirs.resolve("open/storage/docker/registry/v2/repositories/stream/fails/_uploads");
            if (Files.exists(uploads)) {
                // distribution 2.8 cancels a session by deleting its data and start time (its purger takes the
                // hash states left beside them later)
                try (java.util.stream.Stream<Path> left = Files.walk(uploads)) {
                    assertThat(left.map(p -> p.getFileName().toString())).doesNotContain("data", "startedat");
                }
            }
            try (java.util.stream.Stream<Path> left = Files.list(client.partials())) {
                assertThat(left).isEmpty();
            }
            // nothing stale was cached: the next push uploads the layer whole
            proxy.reset();
            client.push(target, image.id(), null, listener);
        }
        StoreServices fresh = store("fresh");
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            assertThat(client.pull(target, null, listener).image().id()).isEqualTo(image.id());
        }
    }

    @Test
    void aChunkedUploadOfAStoredBlobThatFailsMidwayIsCancelledToo() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.randomTar("blob.bin", 2 << 20, 7), "asis:1");
        ImageReference target = ref(proxy.domain(), "stream/asis:1");
        proxy.failPatchAfter(2);
        try (RegistryClient client = new RegistryClient(config().withChunkSize(256 * 1024), source)) {
            assertThatThrownBy(() -> client.push(target, image.id(), null, PushCompression.NONE, listener))
                    .hasMessageContaining("failed and was cancelled")
                    .hasMessageContaining("storage failed (test)");
        }
        assertThat(proxy.requests()).anyMatch(s -> s.method().equals("DELETE")
                && s.path().startsWith("/v2/stream/asis/blobs/uploads/"));
    }

    @Test
    void aPushToAnotherRepositoryOfTheSameRegistryMountsTheBlobs() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.textTar("m", "mount me"), "m:1");
        try (RegistryClient client = new RegistryClient(config(), source)) {
            client.push(ref(proxy.domain(), "mount/src:1"), image.id(), null, listener);
            proxy.reset();
            events.clear();
            PushResult second = client.push(ref(proxy.domain(), "mount/dst:1"), image.id(), null, listener);
            assertThat(second.mounted()).hasSize(2);
            assertThat(second.uploaded()).isEmpty();
        }
        assertThat(proxy.requests()).filteredOn(s -> s.method().equals("POST"))
                .allMatch(s -> s.query() != null && s.query().contains("mount=") && s.query().contains("from=mount%2Fsrc"));
        assertThat(proxy.count(s -> s.method().equals("PUT") && s.path().contains("/blobs/"))).isZero();
        assertThat(statuses()).contains("Mounted from mount/src");
    }

    @Test
    void anInterruptedDownloadResumesWithARangeRequest() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.randomTar("r.bin", 400_000, 2), "resume:1");
        Descriptor layer = source.images().manifest(image.id()).layers().getFirst();
        ImageReference target = ref(proxy.domain(), "resume/me:1");
        try (RegistryClient client = new RegistryClient(config(), source)) {
            client.push(target, image.id(), null, PushCompression.NONE, listener);
        }
        // What an earlier, interrupted pull left behind: the first half of the layer.
        StoreServices fresh = store("fresh");
        Path downloads = Files.createDirectories(tmp.resolve("fresh/downloads"));
        long half = layer.size() / 2;
        byte[] firstHalf = java.util.Arrays.copyOf(source.content().read(layer.digest()), (int) half);
        Files.write(BlobDownload.partialFile(downloads, layer.digest()), firstHalf);
        proxy.reset();
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            assertThat(client.pull(target, null, listener).image().id()).isEqualTo(image.id());
        }
        assertThat(proxy.requests()).filteredOn(CountingProxy.Seen::isBlobGet)
                .anyMatch(s -> s.path().endsWith(layer.digest().toString()) && ("bytes=" + half + "-").equals(s.range()));
        long configSize = source.content().size(image.id());
        assertThat(proxy.blobBytesServed()).isEqualTo(layer.size() - half + configSize);
        assertThat(Files.exists(BlobDownload.partialFile(downloads, layer.digest()))).isFalse();
    }

    @Test
    void aResumedDownloadOverACorruptPrefixIsRejectedAndStartsOverNextTime() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.randomTar("c.bin", 200_000, 4), "corrupt:1");
        Descriptor layer = source.images().manifest(image.id()).layers().getFirst();
        ImageReference target = ref(proxy.domain(), "resume/corrupt:1");
        try (RegistryClient client = new RegistryClient(config(), source)) {
            client.push(target, image.id(), null, PushCompression.NONE, listener);
        }
        // A partial file whose prefix is not what the registry serves: hashing that prefix must catch it.
        StoreServices fresh = store("fresh");
        Path downloads = Files.createDirectories(tmp.resolve("fresh/downloads"));
        Path partial = BlobDownload.partialFile(downloads, layer.digest());
        Files.write(partial, new byte[(int) (layer.size() / 2)]);
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            assertThatThrownBy(() -> client.pull(target, null, listener))
                    .isInstanceOf(io.berth.oci.errors.InvalidArgumentException.class)
                    .hasMessageContaining("does not match its digest");
            assertThat(Files.exists(partial)).isFalse();
            assertThat(fresh.content().has(layer.digest())).isFalse();
            assertThat(client.pull(target, null, listener).image().id()).isEqualTo(image.id());
        }
        assertThat(fresh.content().read(layer.digest())).isEqualTo(source.content().read(layer.digest()));
    }

    @Test
    void aConnectionDroppedMidDownloadIsResumedWithinThePull() throws Exception {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.randomTar("d.bin", 300_000, 3), "drop:1");
        Descriptor layer = source.images().manifest(image.id()).layers().getFirst();
        ImageReference target = ref(proxy.domain(), "resume/drop:1");
        try (RegistryClient client = new RegistryClient(config(), source)) {
            client.push(target, image.id(), null, PushCompression.NONE, listener);
        }
        proxy.reset();
        events.clear();
        proxy.truncateNextBlobGet(100_000);
        StoreServices fresh = store("fresh");
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            assertThat(client.pull(target, null, listener).image().id()).isEqualTo(image.id());
        }
        List<CountingProxy.Seen> layerGets = proxy.requests().stream()
                .filter(s -> s.isBlobGet() && s.path().endsWith(layer.digest().toString())).toList();
        assertThat(layerGets).hasSize(2);
        assertThat(layerGets.get(0).range()).isNull();
        assertThat(layerGets.get(1).range()).startsWith("bytes=").isNotEqualTo("bytes=0-");
        assertThat(statuses()).contains("Retrying in 1 second");
    }

    @Test
    void pullByDigestAndAnIndexResolvesToLinuxAmd64() throws Exception {
        StoreServices source = store("source");
        ImageRecord amd64 = TestImages.imported(source, TestImages.textTar("arch", "amd64"), "multi:amd64");
        ImageRecord other = TestImages.layered(source, List.of(TestImages.textTar("arch", "arm64")), true,
                "multi:arm64");
        try (RegistryClient client = new RegistryClient(config(), source)) {
            client.push(ref(proxy.domain(), "multi/arch:amd64"), amd64.id(), null, PushCompression.NONE, listener);
            client.push(ref(proxy.domain(), "multi/arch:arm64"), other.id(), null, PushCompression.NONE, listener);
        }
        ImageIndex index = ImageIndex.oci(List.of(
                Descriptor.of(MediaTypes.DOCKER_MANIFEST, other.manifestDigest(),
                        source.content().size(other.manifestDigest())).withPlatform(Platform.of("linux", "arm64")),
                Descriptor.of(MediaTypes.OCI_MANIFEST, amd64.manifestDigest(),
                        source.content().size(amd64.manifestDigest())).withPlatform(Platform.of("linux", "amd64"))));
        byte[] indexBytes = Json.canonicalBytes(index);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(
                            URI.create("http://" + registry.domain() + "/v2/multi/arch/manifests/latest"))
                    .header("Content-Type", MediaTypes.OCI_INDEX)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(indexBytes)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        }
        Digest indexDigest = Digest.sha256(indexBytes);

        StoreServices fresh = store("fresh");
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            PullResult byTag = client.pull(ref(proxy.domain(), "multi/arch:latest"), null, listener);
            assertThat(byTag.image().id()).isEqualTo(amd64.id());
            assertThat(byTag.digest()).isEqualTo(indexDigest);
            assertThat(byTag.manifestDigest()).isEqualTo(amd64.manifestDigest());
            assertThat(byTag.image().repoDigests()).containsExactly(proxy.domain() + "/multi/arch@" + indexDigest);

            PullResult arm = client.pull(ref(proxy.domain(), "multi/arch:latest"), null, Platform.of("linux", "arm64"),
                    listener);
            assertThat(arm.image().id()).isEqualTo(other.id());

            PullResult byDigest = client.pull(ref(proxy.domain(), "multi/arch@" + other.manifestDigest()), null,
                    listener);
            assertThat(byDigest.image().id()).isEqualTo(other.id());
            assertThat(byDigest.image().repoDigests()).contains(proxy.domain() + "/multi/arch@" + other.manifestDigest());
            assertThat(fresh.images().find(proxy.domain() + "/multi/arch@" + other.manifestDigest())).isPresent();

            assertThatThrownBy(() -> client.pull(ref(proxy.domain(), "multi/arch:latest"), null,
                    Platform.of("linux", "s390x"), listener))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessage("no matching manifest for linux/s390x in the manifest list entries");
        }
    }

    @Test
    void unknownTagsAreNotFound() {
        try (RegistryClient client = new RegistryClient(config(), store("fresh"))) {
            assertThatThrownBy(() -> client.pull(ref(proxy.domain(), "no/such:tag"), null, listener))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("manifest for " + proxy.domain() + "/no/such:tag not found")
                    .hasMessageContaining("unknown");
        }
    }

    @Test
    void basicAuthAcceptsTheRightPasswordAndRejectsAWrongOneClearly() {
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.textTar("secret", "basic"), "secret:1");
        ImageReference target = ref(basicAuthRegistry.domain(), "auth/basic:1");
        try (RegistryClient client = new RegistryClient(config(), source)) {
            assertThat(client.login(basicAuthRegistry.domain(), new Credentials(USER, PASSWORD)))
                    .isEqualTo("Login Succeeded");
            assertThatThrownBy(() -> client.login("http://" + basicAuthRegistry.domain() + "/v2/",
                    new Credentials(USER, "wrong")))
                    .isInstanceOf(FailedPreconditionException.class)
                    .hasMessageContaining("failed with status: 401 Unauthorized")
                    .cause().isInstanceOfSatisfying(RegistryError.class,
                            e -> assertThat(e.isAuthenticationFailure()).isTrue());
            client.push(target, image.id(), new Credentials(USER, PASSWORD), listener);
        }
        try (RegistryClient client = new RegistryClient(config(), store("fresh"))) {
            assertThatThrownBy(() -> client.pull(target, new Credentials(USER, "wrong"), listener))
                    .isInstanceOf(FailedPreconditionException.class)
                    .hasMessage("unauthorized: authentication required");
            assertThatThrownBy(() -> client.pull(target, null, listener))
                    .isInstanceOf(FailedPreconditionException.class)
                    .hasMessage("unauthorized: authentication required");
            assertThat(client.pull(target, new Credentials(USER, PASSWORD), listener).image().id())
                    .isEqualTo(image.id());
        }
    }

    @Test
    void bearerTokensComeFromTheRealmWithStoredCredentials() throws Exception {
        try (CountingProxy bearer = new CountingProxy(registry.domain())) {
            bearer.requireBearer(USER, PASSWORD);
            CredentialStore credentials = new CredentialStore(tmp.resolve("docker/config.json"));
            credentials.store(bearer.domain(), new Credentials(USER, PASSWORD));
            RegistryClientConfig config = config().withCredentials(credentials);

            StoreServices source = store("source");
            ImageRecord image = TestImages.imported(source, TestImages.textTar("t", "token"), "token:1");
            ImageReference target = ref(bearer.domain(), "auth/bearer:1");
            try (RegistryClient client = new RegistryClient(config, source)) {
                client.push(target, image.id(), null, listener);
            }
            assertThat(bearer.tokenQueries()).anyMatch(q -> q.contains("service=berth-test")
                    && q.contains("scope=repository%3Aauth%2Fbearer%3Apull%2Cpush") && q.contains("account=alice"));
            // One token serves the whole push: after the first challenge every request carries it.
            assertThat(bearer.tokenQueries()).hasSize(1);

            try (RegistryClient client = new RegistryClient(config, store("fresh"))) {
                assertThat(client.pull(target, null, listener).image().id()).isEqualTo(image.id());
                assertThat(client.login(bearer.domain(), new Credentials(USER, PASSWORD))).isEqualTo("Login Succeeded");
            }
            bearer.redirectBlobGets();
            bearer.reset();
            try (RegistryClient client = new RegistryClient(config, store("redirected"))) {
                assertThat(client.pull(target, null, listener).image().id()).isEqualTo(image.id());
            }
            List<CountingProxy.Seen> fromStorage = bearer.requests().stream()
                    .filter(s -> s.path().startsWith("/storage/")).toList();
            assertThat(fromStorage).hasSize(2).allMatch(s -> s.authorization() == null);
            assertThat(bearer.requests()).filteredOn(CountingProxy.Seen::isBlobGet)
                    .hasSize(2).allMatch(s -> s.authorization() != null && s.authorization().startsWith("Bearer "));
            try (RegistryClient client = new RegistryClient(config, store("other"))) {
                assertThatThrownBy(() -> client.pull(target, new Credentials(USER, "wrong"), listener))
                        .isInstanceOf(FailedPreconditionException.class)
                        .hasMessage("unauthorized: incorrect username or password");
            }
        }
    }

    @Test
    void aBlobThatDoesNotMatchItsDigestIsRejectedAndNotStored() throws Exception {
        // A manifest naming a layer whose bytes (pushed under a different name) hash differently is impossible
        // through a correct registry, so serve a lying manifest: the layer descriptor claims the wrong size.
        StoreServices source = store("source");
        ImageRecord image = TestImages.imported(source, TestImages.textTar("x", "size lie"), "lie:1");
        try (RegistryClient client = new RegistryClient(config(), source)) {
            client.push(ref(proxy.domain(), "lie/size:1"), image.id(), null, PushCompression.NONE, listener);
        }
        String manifest = new String(source.content().read(image.manifestDigest()), StandardCharsets.UTF_8);
        Descriptor layer = source.images().manifest(image.id()).layers().getFirst();
        String lying = manifest.replace("\"size\":" + layer.size(), "\"size\":" + (layer.size() - 10));
        assertThat(lying).isNotEqualTo(manifest);
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertThat(http.send(HttpRequest.newBuilder(
                            URI.create("http://" + registry.domain() + "/v2/lie/size/manifests/lying"))
                    .header("Content-Type", MediaTypes.OCI_MANIFEST)
                    .PUT(HttpRequest.BodyPublishers.ofString(lying)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(201);
        }
        StoreServices fresh = store("fresh");
        try (RegistryClient client = new RegistryClient(config(), fresh)) {
            assertThatThrownBy(() -> client.pull(ref(proxy.domain(), "lie/size:lying"), null, listener))
                    .isInstanceOf(io.berth.oci.errors.InvalidArgumentException.class)
                    .hasMessageContaining("longer than");
        }
        assertThat(fresh.content().has(layer.digest())).isFalse();
        assertThat(fresh.images().list()).isEmpty();
    }
}
