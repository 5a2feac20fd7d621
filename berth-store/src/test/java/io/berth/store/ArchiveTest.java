package io.berth.store;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.HistoryEntry;
import io.berth.oci.ImageConfig;
import io.berth.oci.ImageIndex;
import io.berth.oci.ImageManifest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.RootFs;
import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchiveTest {
    @TempDir
    Path tmp;

    private final byte[] base = new TarBuilder().dir("etc").file("etc/base", "base").build();
    private final byte[] top = new TarBuilder().file("etc/top", "top").build();
    private final Digest baseId = Digest.sha256(base);
    private final Digest topId = Digest.sha256(top);
    private final byte[] config = Json.canonicalBytes(new ImageConfig("amd64", "linux", null,
            "2024-01-01T00:00:00Z", null, null, RootFs.layers(List.of(baseId, topId)),
            List.of(new HistoryEntry("2024-01-01T00:00:00Z", "test", null, null, null))));
    private final Digest configId = Digest.sha256(config);

    private static String json(Object o) {
        return new String(Json.canonicalBytes(o), StandardCharsets.UTF_8);
    }

    private byte[] classicDockerSave() {
        // Docker < 25: <id>/layer.tar, <config hex>.json, a shared layer as a symlink to another dir's tar.
        return new TarBuilder()
                .dir("aaa").file("aaa/layer.tar", base)
                .dir("bbb").file("bbb/layer.tar", top)
                .dir("ccc").symlink("ccc/layer.tar", "../aaa/layer.tar")
                .file(configId.hex() + ".json", config)
                .file("manifest.json", "[{\"Config\":\"" + configId.hex() + ".json\",\"RepoTags\":[\"classic:1\"],"
                        + "\"Layers\":[\"aaa/layer.tar\",\"bbb/layer.tar\"]}]")
                .build();
    }

    private byte[] docker25Save() {
        byte[] topGz = TarBuilder.gzip(top);
        Digest topGzId = Digest.sha256(topGz);
        return new TarBuilder()
                .dir("blobs").dir("blobs/sha256")
                .file("blobs/sha256/" + baseId.hex(), base)
                .file("blobs/sha256/" + topGzId.hex(), topGz)
                .file("blobs/sha256/" + configId.hex(), config)
                .file("manifest.json", "[{\"Config\":\"blobs/sha256/" + configId.hex() + "\",\"RepoTags\":[\"new:2\"],"
                        + "\"Layers\":[\"blobs/sha256/" + baseId.hex() + "\",\"blobs/sha256/" + topGzId.hex() + "\"]}]")
                .build();
    }

    private byte[] ociLayout(boolean corruptLayer) {
        byte[] topGz = TarBuilder.gzip(top);
        Digest topGzId = Digest.sha256(topGz);
        ImageManifest manifest = ImageManifest.oci(Descriptor.of(MediaTypes.OCI_CONFIG, configId, config.length),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_TAR, baseId, base.length),
                        Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, topGzId, topGz.length)));
        byte[] manifestBytes = Json.canonicalBytes(manifest);
        Digest manifestId = Digest.sha256(manifestBytes);
        ImageIndex index = ImageIndex.oci(List.of(Descriptor.of(MediaTypes.OCI_MANIFEST, manifestId, manifestBytes.length)
                .withAnnotations(Map.of("org.opencontainers.image.ref.name", "registry.example/oci/app:3"))));
        return new TarBuilder()
                .file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}")
                .file("index.json", json(index))
                .file("blobs/sha256/" + manifestId.hex(), manifestBytes)
                .file("blobs/sha256/" + configId.hex(), config)
                .file("blobs/sha256/" + baseId.hex(), corruptLayer ? top : base)
                .file("blobs/sha256/" + topGzId.hex(), topGz)
                .build();
    }

    private void assertLoaded(StoreServices store, ImageRecord image, String tag) throws Exception {
        assertThat(image.id()).isEqualTo(configId);
        assertThat(image.repoTags()).containsExactly(tag);
        List<Path> lowers = store.images().lowerDirs(image.id());
        assertThat(lowers).hasSize(2);
        assertThat(Files.readString(lowers.get(0).resolve("etc/top"))).isEqualTo("top");
        assertThat(Files.readString(lowers.get(1).resolve("etc/base"))).isEqualTo("base");
    }

    @Test
    void loadsAClassicDockerSaveTar() throws Exception {
        StoreServices store = StoreServices.open(tmp.resolve("store"));
        List<ImageRecord> loaded = store.loader().load(new ByteArrayInputStream(classicDockerSave()));
        assertThat(loaded).hasSize(1);
        assertLoaded(store, loaded.getFirst(), "classic:1");
        assertThat(Files.list(store.layout().tmpDir())).as("temp dir cleaned").isEmpty();
    }

    @Test
    void loadsADocker25SaveTarWithCompressedLayer() throws Exception {
        StoreServices store = StoreServices.open(tmp.resolve("store"));
        List<ImageRecord> loaded = store.loader().load(new ByteArrayInputStream(docker25Save()));
        assertLoaded(store, loaded.getFirst(), "new:2");
        assertThat(store.images().manifest(configId).layers().get(1).mediaType())
                .isEqualTo(MediaTypes.OCI_LAYER_TAR_GZIP);
    }

    @Test
    void loadsAnOciLayoutTar() throws Exception {
        StoreServices store = StoreServices.open(tmp.resolve("store"));
        List<ImageRecord> loaded = store.loader().load(new ByteArrayInputStream(ociLayout(false)));
        assertLoaded(store, loaded.getFirst(), "registry.example/oci/app:3");
    }

    @Test
    void refusesABlobThatDoesNotMatchItsDigest() {
        StoreServices store = StoreServices.open(tmp.resolve("store"));
        assertThatThrownBy(() -> store.loader().load(new ByteArrayInputStream(ociLayout(true))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining(baseId.toString());
        assertThat(store.images().list()).isEmpty();
    }

    @Test
    void refusesALayerWhoseDiffIdDiffersFromTheConfig() {
        StoreServices store = StoreServices.open(tmp.resolve("store"));
        byte[] swapped = new TarBuilder()
                .file("a.tar", top).file("b.tar", base).file("c.json", config)
                .file("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[],\"Layers\":[\"a.tar\",\"b.tar\"]}]")
                .build();
        assertThatThrownBy(() -> store.loader().load(new ByteArrayInputStream(swapped)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("diff ID");
        assertThat(store.images().list()).isEmpty();
    }

    @Test
    void refusesUnsafeArchiveEntries() {
        StoreServices store = StoreServices.open(tmp.resolve("store"));
        assertThatThrownBy(() -> store.loader().load(new ByteArrayInputStream(
                new TarBuilder().file("../../evil", "x").build())))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unsafe entry");
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void saveThenLoadKeepsIdsAndDigestsAndSavingTwiceGivesTheSameBytes() throws Exception {
        StoreServices first = StoreServices.open(tmp.resolve("first"));
        ImageRecord original = first.loader().load(new ByteArrayInputStream(docker25Save())).getFirst();
        first.images().tag(original.id(), "second:tag");

        ByteArrayOutputStream one = new ByteArrayOutputStream();
        first.saver().save(List.of("new:2", "second:tag"), one);
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        first.saver().save(List.of("new:2", "second:tag"), two);
        assertThat(one.toByteArray()).isEqualTo(two.toByteArray());

        StoreServices second = StoreServices.open(tmp.resolve("second"));
        List<ImageRecord> loaded = second.loader().load(new ByteArrayInputStream(one.toByteArray()));
        assertThat(loaded).extracting(ImageRecord::id).containsExactly(original.id());
        ImageRecord copy = second.images().resolve("new:2");
        assertThat(copy.repoTags()).containsExactly("new:2", "second:tag");
        assertThat(copy.config().diffIds()).isEqualTo(original.config().diffIds());
        assertThat(second.images().manifest(copy.id()).layers()).isEqualTo(first.images().manifest(original.id()).layers());

        // The same bytes are also a valid OCI layout: load through index.json only.
        StoreServices third = StoreServices.open(tmp.resolve("third"));
        ByteArrayOutputStream ociOnly = new ByteArrayOutputStream();
        first.saver().save(List.of(original.id().hex()), ociOnly);
        ExtractedArchive check = ExtractedArchive.read(new ByteArrayInputStream(ociOnly.toByteArray()), tmp);
        assertThat(check.names()).contains("oci-layout", "index.json", "manifest.json", "repositories",
                "blobs/sha256/" + original.manifestDigest().hex());
        check.close();
        byte[] layoutOnly = withoutManifestJson(ociOnly.toByteArray());
        ImageRecord viaOci = third.loader().load(new ByteArrayInputStream(layoutOnly)).getFirst();
        assertThat(viaOci.id()).isEqualTo(original.id());
        assertThat(viaOci.manifestDigest()).isEqualTo(original.manifestDigest());
    }

    private static byte[] withoutManifestJson(byte[] archive) throws Exception {
        TarBuilder copy = new TarBuilder();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(archive))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isDirectory() && !e.getName().equals("manifest.json")) {
                    copy.file(e.getName(), in.readAllBytes());
                }
            }
        }
        return copy.build();
    }
}
