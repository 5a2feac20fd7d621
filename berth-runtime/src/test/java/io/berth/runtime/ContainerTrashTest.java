package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A removed container's directory leaves the store in one rename; what a kill left is never loaded, and deleted. */
class ContainerTrashTest {
    private static final String ID = "d".repeat(64);

    @TempDir
    Path dataRoot;

    private static void awaitGone(Path p) throws InterruptedException {
        for (int i = 0; i < 200 && Files.exists(p); i++) Thread.sleep(50);
        assertThat(p).doesNotExist();
    }

    @Test
    void aDiscardedDirectoryIsGoneAtOnceAndDeletedAfterwards() throws Exception {
        Path dir = dataRoot.resolve("containers").resolve(ID);
        Files.createDirectories(dir.resolve("upper/etc"));
        Files.writeString(dir.resolve("upper/etc/file"), "x");
        Files.writeString(dir.resolve("container.json"), "{}");
        ContainerTrash.discard(dir);
        assertThat(dir).doesNotExist();
        awaitGone(dataRoot.resolve("containers/.removing-" + ID));
    }

    @Test
    void aRemovalCutShortByAKillIsNotLoadedAndIsDeletedAtTheNextStart() throws Exception {
        ContainerStore store = new ContainerStore(dataRoot, dataRoot.resolve("exec"));
        ContainerSpec s = ContainerSpec.builder(ID).name("trash").args(List.of("sh")).build();
        Container c = new Container(s, s.name(), new ContainerState(ContainerState.Status.EXITED, 0, 0, false, "", null, null),
                0, "crun", 0, false, ContainerPaths.of(dataRoot, dataRoot.resolve("exec"), ID));
        store.save(c);
        assertThat(store.loadAll()).extracting(Container::id).containsExactly(ID);
        // a berthd killed after the rename, before the tree was deleted
        Path trash = dataRoot.resolve("containers/.removing-" + ID);
        Files.move(dataRoot.resolve("containers").resolve(ID), trash);
        assertThat(new ContainerStore(dataRoot, dataRoot.resolve("exec")).loadAll()).isEmpty();
        awaitGone(trash);
    }
}
