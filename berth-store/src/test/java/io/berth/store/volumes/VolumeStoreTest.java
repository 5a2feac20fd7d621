package io.berth.store.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.oci.Json;
import io.berth.oci.errors.ConflictException;

class VolumeStoreTest {
    @TempDir
    Path root;

    private Path dir;
    private VolumeStore store;

    @BeforeEach
    void open() {
        dir = root.resolve("volumes");
        store = new VolumeStore(dir);
    }

    private static Volume volume(String name) {
        return new Volume(name, "local", Map.of("k", "v"), Map.of(), "2026-01-02T03:04:05Z");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void createLaysOutDockersTreeWithPrivateMetadata() throws Exception {
        store.create(volume("data"));
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("data"))).isEqualTo("rwx------");
        assertThat(store.mountpoint("data")).isEqualTo(dir.resolve("data/_data"));
        assertThat(mode(dir.resolve("data/_data"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(dir.resolve("data/volume.json"))).isEqualTo("rw-------");
        assertThat(store.find("data")).contains(volume("data"));
        assertThat(store.list()).containsExactly(volume("data"));
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("data");
        }
    }

    @Test
    void aTakenNameIsAConflict() {
        store.create(volume("data"));
        assertThatThrownBy(() -> store.create(volume("data"))).isInstanceOf(ConflictException.class);
    }

    @Test
    void removeDeletesTheVolumeAndItsData() throws Exception {
        store.create(volume("data"));
        Files.writeString(store.mountpoint("data").resolve("f"), "12345");
        Files.createSymbolicLink(store.mountpoint("data").resolve("escape"), root);
        assertThat(store.size("data")).isEqualTo(5);
        store.remove("data");
        assertThat(store.find("data")).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThat(root).isDirectory(); // the symlink was removed, not followed
        try (var entries = Files.list(dir)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void halfDoneCreatesAndRemovalsAreNeverListedAndAreSweptAtStart() throws Exception {
        store.create(volume("kept"));
        // what a kill -9 leaves: a create before its rename (even with metadata written), a removal after its rename
        Path creating = Files.createDirectories(dir.resolve(".new-1234/_data"));
        Files.write(creating.resolveSibling("volume.json"), Json.canonicalBytes(volume("ghost")));
        Files.createDirectories(dir.resolve(".rm-5678/_data/sub"));
        Files.writeString(dir.resolve(".rm-5678/_data/sub/f"), "x");
        assertThat(store.list()).containsExactly(volume("kept"));
        assertThat(store.find("ghost")).isEmpty();

        VolumeStore reopened = new VolumeStore(dir);
        assertThat(reopened.removeLeftovers()).isEqualTo(2);
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("kept");
        }
        assertThat(reopened.list()).containsExactly(volume("kept"));
        assertThat(reopened.removeLeftovers()).isZero();
    }

    @Test
    void aKilledCopyUpsStagingDirectoryIsSweptAtStartAndTheVolumeStaysEmpty() throws Exception {
        store.create(volume("filling"));
        // a copy-up killed before its rename: a half-written sibling of the still empty _data
        Path staging = Files.createDirectories(dir.resolve("filling/_copyup-abc/sub"));
        Files.writeString(staging.resolve("f"), "half");
        VolumeStore reopened = new VolumeStore(dir);
        assertThat(reopened.removeLeftovers()).isEqualTo(1);
        try (var entries = Files.list(dir.resolve("filling"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("_data", "volume.json");
        }
        try (var entries = Files.list(reopened.mountpoint("filling"))) {
            assertThat(entries).isEmpty();
        }
        assertThat(reopened.list()).containsExactly(volume("filling"));
    }

    @Test
    void aDirectoryWithoutMetadataIsNotAVolume() throws Exception {
        Files.createDirectories(dir.resolve("stray/_data"));
        assertThat(store.list()).isEmpty();
        assertThat(store.find("stray")).isEmpty();
    }

    @Test
    void findNeverLeavesTheVolumesDirectory() throws Exception {
        Files.createDirectories(root.resolve("outside"));
        Files.write(root.resolve("outside/volume.json"), Json.canonicalBytes(volume("outside")));
        assertThat(store.find("../outside")).isEmpty();
        assertThat(store.find("..")).isEmpty();
    }
}
