package io.berth.store;

import io.berth.oci.ChainId;
import io.berth.oci.ContainerConfig;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageStoreTest {
    @TempDir
    Path root;

    static byte[] rootfs(String marker) {
        return new TarBuilder().dir("./").dir("./bin").file("./bin/hello", marker, 0755, 0, 0).build();
    }

    @Test
    void importsATarAsAOneLayerImage() throws Exception {
        StoreServices store = StoreServices.open(root);
        byte[] tar = rootfs("one");
        ImageRecord image = store.importer().importRootfs(new ByteArrayInputStream(TarBuilder.gzip(tar)),
                "example/app:1", ContainerConfig.empty().withCmd(List.of("/bin/hello")), "from test");
        Digest layer = Digest.sha256(tar);
        assertThat(image.repoTags()).containsExactly("example/app:1");
        assertThat(image.config().diffIds()).containsExactly(layer);
        assertThat(image.config().config().cmd()).containsExactly("/bin/hello");
        assertThat(image.config().history().getFirst().comment()).isEqualTo("from test");
        assertThat(store.content().has(layer)).as("layer stored uncompressed").isTrue();
        assertThat(store.images().manifest(image.id()).layers().getFirst().mediaType())
                .isEqualTo(MediaTypes.OCI_LAYER_TAR);
        assertThat(store.snapshots().has(ChainId.of(List.of(layer)))).isTrue();
        List<Path> lowers = store.images().lowerDirs(image.id());
        assertThat(lowers).hasSize(1);
        assertThat(Files.readString(lowers.getFirst().resolve("bin/hello"))).isEqualTo("one");
        assertThat(image.size()).isEqualTo(tar.length);
    }

    @Test
    void resolvesByNameIdAndPrefixLikeDocker() {
        StoreServices store = StoreServices.open(root);
        ImageRecord image = store.importer().importRootfs(new ByteArrayInputStream(rootfs("x")), "busybox", null, null);
        ImageStore images = store.images();
        assertThat(images.resolve("busybox").id()).isEqualTo(image.id());
        assertThat(images.resolve("busybox:latest").id()).isEqualTo(image.id());
        assertThat(images.resolve("docker.io/library/busybox:latest").id()).isEqualTo(image.id());
        assertThat(images.resolve(image.id().toString()).id()).isEqualTo(image.id());
        assertThat(images.resolve(image.id().hex()).id()).isEqualTo(image.id());
        assertThat(images.resolve(image.id().hex().substring(0, 1)).id()).isEqualTo(image.id());
        assertThat(images.resolve("sha256:" + image.id().shortId()).id()).isEqualTo(image.id());
        assertThat(images.resolve("busybox@" + image.manifestDigest()).id()).isEqualTo(image.id());
        assertThatThrownBy(() -> images.resolve("busybox:other")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: busybox:other");
        assertThat(images.find("nothing")).isEmpty();
        // An invalid reference is the caller's error, not a missing image; a missing full ID is still missing.
        for (String bad : List.of("Busybox", "busybox:a:b", "-bad", "bad@@x", "a b")) {
            assertThatThrownBy(() -> images.resolve(bad)).as(bad).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageStartingWith("invalid reference format");
        }
        assertThat(images.find("f".repeat(64))).isEmpty();
    }

    @Test
    void tagsMoveUntagAndDeleteCollectsGarbage() {
        StoreServices store = StoreServices.open(root);
        ImageRecord a = store.importer().importRootfs(new ByteArrayInputStream(rootfs("a")), "app:v", null, null);
        ImageRecord b = store.importer().importRootfs(new ByteArrayInputStream(rootfs("b")), null, null, null);
        store.images().tag(b.id(), "app:v");
        store.images().tag(b.id(), "other");
        assertThat(store.images().get(a.id()).orElseThrow().repoTags()).isEmpty();
        assertThat(store.images().get(b.id()).orElseThrow().repoTags()).containsExactly("app:v", "other:latest");
        assertThatThrownBy(() -> store.images().tag(b.id(), "Bad")).isInstanceOf(InvalidArgumentException.class);

        assertThat(store.images().untag("other")).containsExactly("other:latest");
        assertThatThrownBy(() -> store.images().untag("other")).isInstanceOf(NotFoundException.class);

        Digest layerB = b.config().diffIds().getFirst();
        store.images().delete(b.id());
        assertThat(store.images().find("app:v")).isEmpty();
        assertThat(store.content().has(layerB)).isFalse();
        assertThat(store.content().has(b.id())).isFalse();
        assertThat(store.snapshots().has(layerB)).isFalse();
        assertThat(store.content().has(a.id())).isTrue();
        assertThat(store.images().list()).extracting(ImageRecord::id).containsExactly(a.id());
    }

    @Test
    void survivesReopening() {
        ImageRecord image;
        {
            StoreServices store = StoreServices.open(root);
            image = store.importer().importRootfs(new ByteArrayInputStream(rootfs("p")), "persist:1", null, null);
        }
        StoreServices reopened = StoreServices.open(root);
        ImageRecord again = reopened.images().resolve("persist:1");
        assertThat(again.id()).isEqualTo(image.id());
        assertThat(again.manifestDigest()).isEqualTo(image.manifestDigest());
        assertThat(again.repoTags()).containsExactly("persist:1");
    }

    @Test
    void importOfAnUnsafeTarLeavesNoImageAndNothingACollectionKeeps() {
        StoreServices store = StoreServices.open(root);
        byte[] evil = new TarBuilder().file("../evil", "x").build();
        assertThatThrownBy(() -> store.importer().importRootfs(new ByteArrayInputStream(evil), "evil", null, null))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unsafe entry");
        assertThat(store.images().list()).isEmpty();
        assertThat(store.gc().reclaimable().bytes()).as("counted by system df").isEqualTo(evil.length);
        store.gc().collect();
        assertThat(store.content().list()).isEmpty();
        assertThat(root.getParent().resolve("evil")).doesNotExist();
    }
}
