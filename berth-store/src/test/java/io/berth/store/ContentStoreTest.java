package io.berth.store;

import io.berth.oci.Digest;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentStoreTest {
    @TempDir
    Path root;

    @Test
    void putsAndReadsBlobsByDigest() throws Exception {
        ContentStore store = new ContentStore(root);
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        Digest d = store.put(new ByteArrayInputStream(data));
        assertThat(d).isEqualTo(Digest.sha256(data));
        assertThat(store.has(d)).isTrue();
        assertThat(store.size(d)).isEqualTo(5);
        assertThat(store.path(d)).isEqualTo(root.resolve("blobs/sha256/" + d.hex()));
        try (InputStream in = store.open(d)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(store.list()).containsExactly(d);
        store.delete(d);
        assertThat(store.has(d)).isFalse();
        assertThatThrownBy(() -> store.open(d)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.size(d)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void verifiedPutAcceptsTheRightDigestAndLeavesNothingOnMismatch() throws Exception {
        ContentStore store = new ContentStore(root);
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.putVerified(new ByteArrayInputStream(data), wrong))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining(wrong.toString());
        assertThat(store.has(wrong)).isFalse();
        assertThat(store.has(Digest.sha256(data))).isFalse();
        try (Stream<Path> files = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(files).isEmpty();
        }
        store.putVerified(new ByteArrayInputStream(data), Digest.sha256(data));
        assertThat(store.has(Digest.sha256(data))).isTrue();
    }

    @Test
    void concurrentPutsOfTheSameBlobAreSafe() throws Exception {
        ContentStore store = new ContentStore(root);
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Digest expected = Digest.sha256(big);
        List<Future<Digest>> results = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                Callable<Digest> put = () -> store.put(new ByteArrayInputStream(big));
                results.add(executor.submit(put));
            }
        }
        for (Future<Digest> f : results) {
            assertThat(f.get()).isEqualTo(expected);
        }
        assertThat(Files.readAllBytes(store.path(expected))).isEqualTo(big);
        try (Stream<Path> files = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(expected.hex());
        }
    }

    @Test
    void adoptRenamesTheFileIntoTheStoreWithoutCopyingIt() throws Exception {
        ContentStore store = new ContentStore(root);
        byte[] data = "downloaded layer".getBytes(StandardCharsets.UTF_8);
        Path file = Files.createDirectories(root.resolve("downloads")).resolve("sha256-x.partial");
        Files.write(file, data);
        Object inode = Files.getAttribute(file, "unix:ino");
        Digest d = Digest.sha256(data);
        store.adopt(file, d);
        assertThat(file).doesNotExist();
        assertThat(store.read(d)).isEqualTo(data);
        assertThat(Files.getAttribute(store.path(d), "unix:ino")).isEqualTo(inode);
    }

    @Test
    void adoptOfAMismatchingFileDeletesItAndLeavesNothing() throws Exception {
        ContentStore store = new ContentStore(root);
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        Path file = Files.createDirectories(root.resolve("downloads")).resolve("sha256-y.partial");
        Files.write(file, data);
        assertThatThrownBy(() -> store.adopt(file, wrong))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(wrong.toString()).hasMessageContaining(Digest.sha256(data).toString());
        assertThat(file).doesNotExist();
        assertThat(store.has(wrong)).isFalse();
        assertThat(store.has(Digest.sha256(data))).isFalse();
        try (Stream<Path> files = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void adoptWhenTheBlobExistsDeletesTheFileAndKeepsTheBlob() throws Exception {
        ContentStore store = new ContentStore(root);
        byte[] data = "same bytes".getBytes(StandardCharsets.UTF_8);
        Digest d = store.put(data);
        Object inode = Files.getAttribute(store.path(d), "unix:ino");
        Path file = Files.createDirectories(root.resolve("downloads")).resolve("again.partial");
        Files.write(file, data);
        store.adopt(file, d);
        Path second = root.resolve("downloads/trusted.partial");
        Files.write(second, data);
        store.adoptVerified(second, d);
        assertThat(file).doesNotExist();
        assertThat(second).doesNotExist();
        assertThat(Files.getAttribute(store.path(d), "unix:ino")).isEqualTo(inode);
        assertThat(store.read(d)).isEqualTo(data);
        try (Stream<Path> files = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(d.hex());
        }
    }

    @Test
    void adoptOfAMissingFileIsNotFound() {
        ContentStore store = new ContentStore(root);
        Digest d = Digest.sha256(new byte[] {1});
        assertThatThrownBy(() -> store.adopt(root.resolve("nope.partial"), d)).isInstanceOf(NotFoundException.class);
        assertThat(store.has(d)).isFalse();
    }

    @Test
    void concurrentAdoptsAndPutsOfTheSameBlobAreSafe() throws Exception {
        ContentStore store = new ContentStore(root);
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        Digest expected = Digest.sha256(big);
        Path downloads = Files.createDirectories(root.resolve("downloads"));
        List<Future<?>> results = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 16; i++) {
                Path file = downloads.resolve("copy-" + i);
                Files.write(file, big);
                int n = i;
                results.add(executor.submit(() -> {
                    switch (n % 3) {
                        case 0 -> store.adopt(file, expected);
                        case 1 -> store.adoptVerified(file, expected);
                        default -> store.putVerified(new ByteArrayInputStream(big), expected);
                    }
                    return null;
                }));
            }
        }
        for (Future<?> f : results) {
            f.get();
        }
        assertThat(Files.readAllBytes(store.path(expected))).isEqualTo(big);
        try (Stream<Path> files = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(expected.hex());
        }
        try (Stream<Path> files = Files.list(downloads)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .allMatch(name -> Integer.parseInt(name.substring("copy-".length())) % 3 == 2);
        }
    }
}
