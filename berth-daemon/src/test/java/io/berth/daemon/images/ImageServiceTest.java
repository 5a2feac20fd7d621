package io.berth.daemon.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.daemon.images.ImageDeleteItem.Deleted;
import io.berth.daemon.images.ImageDeleteItem.Untagged;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.NotFoundException;
import io.berth.store.ImageRecord;
import io.berth.store.StoreServices;

class ImageServiceTest {
    @TempDir
    Path root;

    private StoreServices store;
    private final List<ImageUsers.ImageUser> users = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private ImageService service;

    @BeforeEach
    void open() {
        store = StoreServices.open(root.resolve("store"));
        service = new ImageService(store.images(), () -> List.copyOf(users),
                (action, id, attrs) -> events.add(action + " " + attrs.get("name")), () -> 0L);
    }

    private ImageRecord image(String marker, String tag) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            byte[] data = marker.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("marker");
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return store.importer().importRootfs(new ByteArrayInputStream(bytes.toByteArray()), tag, null, null);
    }

    private void use(ImageRecord image, String containerId, boolean running) {
        users.add(new ImageUsers.ImageUser(containerId, image.id().toString(), running));
    }

    private boolean exists(ImageRecord image) {
        return store.images().get(image.id()).isPresent();
    }

    @Test
    void anUnusedImageIsUntaggedAndDeleted() throws Exception {
        ImageRecord app = image("a", "app:1");
        assertThat(service.remove("app:1", false)).containsExactly(new Untagged("app:1"), new Deleted(app.id().toString()));
        assertThat(exists(app)).isFalse();
        assertThat(events).containsExactly("untag app:1", "delete app:1");
    }

    @Test
    void aTagAmongSeveralIsOnlyUntagged() throws Exception {
        ImageRecord app = image("a", "app:1");
        store.images().tag(app.id(), "app:2");
        assertThat(service.remove("app:1", false)).containsExactly(new Untagged("app:1"));
        assertThat(store.images().get(app.id()).orElseThrow().repoTags()).containsExactly("app:2");
    }

    @Test
    void byIdAnImageWithSeveralTagsMustBeForced() throws Exception {
        ImageRecord app = image("a", "app:1");
        store.images().tag(app.id(), "app:2");
        assertThatThrownBy(() -> service.remove(app.id().hex().substring(0, 12), false))
                .isInstanceOf(ConflictException.class)
                .hasMessage("conflict: unable to delete " + app.id().shortId() + " (must be forced) - image is referenced in multiple repositories");
        assertThat(service.remove(app.id().toString(), true))
                .containsExactly(new Untagged("app:1"), new Untagged("app:2"), new Deleted(app.id().toString()));
        assertThat(exists(app)).isFalse();
    }

    @Test
    void anImageUsedByAContainerIsAConflictUnlessForcedAndThenOnlyUntagged() throws Exception {
        ImageRecord app = image("a", "app:1");
        use(app, "c".repeat(64), false);
        assertThatThrownBy(() -> service.remove("app:1", false)).isInstanceOf(ConflictException.class)
                .hasMessage("conflict: unable to remove repository reference \"app:1\" (must force) - container "
                        + "c".repeat(12) + " is using its referenced image " + app.id().shortId());
        assertThatThrownBy(() -> service.remove(app.id().toString(), false)).isInstanceOf(ConflictException.class)
                .hasMessageEndingWith("(must be forced) - image is being used by stopped container " + "c".repeat(12));
        // Forced: the name goes, the image stays (dangling) while a container stands on its layers.
        assertThat(service.remove("app:1", true)).containsExactly(new Untagged("app:1"));
        assertThat(exists(app)).isTrue();
        assertThat(store.images().get(app.id()).orElseThrow().repoTags()).isEmpty();
    }

    @Test
    void aRunningContainersImageCannotBeDeletedByIdEvenForced() throws Exception {
        ImageRecord app = image("a", "app:1");
        use(app, "d".repeat(64), true);
        assertThatThrownBy(() -> service.remove(app.id().toString(), true)).isInstanceOf(ConflictException.class)
                .hasMessage("conflict: unable to delete " + app.id().shortId()
                        + " (cannot be forced) - image is being used by running container " + "d".repeat(12));
        // rmi -f by name untags it, as Docker does; the image stays.
        assertThat(service.remove("app:1", true)).containsExactly(new Untagged("app:1"));
        assertThat(exists(app)).isTrue();
    }

    @Test
    void pruneTakesDanglingImagesOrWithAllEveryUnusedOne() throws Exception {
        ImageRecord dangling = image("d", null);
        ImageRecord tagged = image("t", "tagged:1");
        ImageRecord usedDangling = image("u", null);
        ImageRecord usedTagged = image("v", "used:1");
        use(usedDangling, "e".repeat(64), false);
        use(usedTagged, "f".repeat(64), true);

        ImageService.PruneReport first = service.prune(false, r -> true);
        assertThat(first.items()).containsExactly(new Deleted(dangling.id().toString()));
        assertThat(first.spaceReclaimed()).isEqualTo(dangling.size());
        assertThat(exists(tagged)).isTrue();

        ImageService.PruneReport all = service.prune(true, r -> true);
        assertThat(all.items()).containsExactly(new Untagged("tagged:1"), new Deleted(tagged.id().toString()));
        assertThat(exists(usedDangling)).isTrue();
        assertThat(exists(usedTagged)).isTrue();
        // The request's filters choose among the candidates.
        ImageRecord other = image("o", null);
        assertThat(service.prune(false, r -> false).items()).isEmpty();
        assertThat(exists(other)).isTrue();
    }

    @Test
    void pruneReportsOnlyTheLayersThatWentNotOnesAnotherImageKeeps() throws Exception {
        ImageRecord kept = image("shared", "kept:1");
        ImageRecord dangling = image("shared", null); // the same layer, another config: another image
        assertThat(dangling.id()).isNotEqualTo(kept.id());
        ImageService.PruneReport report = service.prune(false, r -> true);
        assertThat(report.items()).containsExactly(new Deleted(dangling.id().toString()));
        assertThat(report.spaceReclaimed()).isZero();
        assertThat(service.prune(true, r -> true).spaceReclaimed()).isEqualTo(kept.size());
    }

    @Test
    void pruneRunsTheContentCollector() throws Exception {
        service = new ImageService(store.images(), List::of, (a, i, n) -> { }, () -> 1234L);
        assertThat(service.prune(false, r -> true).spaceReclaimed()).isEqualTo(1234L);
    }

    /**
     * A create that resolved its image and a concurrent rmi: the rmi waits for the container to be registered
     * and then refuses (409), or, forced, only untags; the image the container stands on is never deleted.
     */
    @Test
    void aRemovalWaitsForACreateThatHoldsTheImage() throws Exception {
        for (boolean force : new boolean[] {false, true}) {
            users.clear();
            ImageRecord app = image(force ? "forced" : "plain", "race:1");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch resolved = new CountDownLatch(1);
                Future<String> create = pool.submit(() -> service.withImage("race:1", image -> {
                    resolved.countDown();
                    Thread.sleep(300); // the rmi below runs now, and must wait
                    use(image, "a".repeat(64), false);
                    return image.id().toString();
                }));
                assertThat(resolved.await(10, TimeUnit.SECONDS)).isTrue();
                Future<List<ImageDeleteItem>> rmi = pool.submit(() -> service.remove("race:1", force));
                assertThat(create.get(10, TimeUnit.SECONDS)).isEqualTo(app.id().toString());
                if (force) {
                    assertThat(rmi.get(10, TimeUnit.SECONDS)).containsExactly(new Untagged("race:1"));
                } else {
                    assertThatThrownBy(() -> rmi.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ConflictException.class)
                            .hasMessageContaining("is using its referenced image");
                }
                assertThat(exists(app)).isTrue();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** The other order: the rmi holds the image first, so the create then finds no image and creates nothing. */
    @Test
    void aCreateAfterARemovalFailsCleanly() throws Exception {
        ImageRecord app = image("gone", "gone:1");
        List<String> created = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch removing = new CountDownLatch(1);
            service = new ImageService(store.images(), () -> {
                removing.countDown();
                sleep(300); // the create below arrives while the removal holds the lock
                return List.copyOf(users);
            }, (a, i, n) -> { }, () -> 0L);
            Future<List<ImageDeleteItem>> rmi = pool.submit(() -> service.remove("gone:1", false));
            assertThat(removing.await(10, TimeUnit.SECONDS)).isTrue();
            Future<String> create = pool.submit(() -> service.withImage("gone:1", image -> {
                created.add(image.id().toString());
                return "created";
            }));
            assertThat(rmi.get(10, TimeUnit.SECONDS)).contains(new Deleted(app.id().toString()));
            assertThatThrownBy(() -> create.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NotFoundException.class)
                    .hasMessageContaining("No such image: gone:1");
            assertThat(created).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
