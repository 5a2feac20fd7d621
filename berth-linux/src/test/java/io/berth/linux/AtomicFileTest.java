package io.berth.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesAndReplacesAndLeavesNoTempFile() throws IOException {
        Path file = dir.resolve("a/b/state.json");
        AtomicFile.write(file, bytes("one"));
        AtomicFile.write(file, bytes("two"));
        assertThat(file).hasContent("two");
        try (var names = Files.list(file.getParent())) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }

    @Test
    void aModeIsSetAtCreationNotAfter() throws IOException {
        Path file = dir.resolve("config.json");
        AtomicFile.write(file, bytes("{}"), PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void unsyncedWritesAreStillWholeFiles() throws IOException {
        Path file = dir.resolve("config.json");
        AtomicFile.writeUnsynced(file, bytes("x".repeat(100_000)));
        assertThat(Files.size(file)).isEqualTo(100_000);
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndRemovesItsTempFile() throws IOException {
        Path target = Files.createDirectories(dir.resolve("target"));
        Files.writeString(target.resolve("keep"), "kept");
        // Renaming a file over a non-empty directory fails: the write must leave everything as it was.
        assertThatThrownBy(() -> AtomicFile.write(target, bytes("new"))).isInstanceOf(IOException.class);
        assertThat(target.resolve("keep")).hasContent("kept");
        try (var names = Files.list(dir)) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("target");
        }
    }

    @Test
    void renameReplacesTheTarget() throws IOException {
        Path source = Files.writeString(dir.resolve("incoming"), "blob");
        Path target = Files.writeString(dir.resolve("blob"), "old");
        AtomicFile.rename(source, target);
        assertThat(target).hasContent("blob");
        assertThat(source).doesNotExist();
    }

    /** The runtime's former copy used one fixed temp name: two writers truncated each other's temp file. */
    @Test
    void concurrentWritersNeverTearTheFile() throws Exception {
        Path file = dir.resolve("container.json");
        String a = "a".repeat(256 * 1024);
        String b = "b".repeat(128 * 1024);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String content = i % 2 == 0 ? a : b;
                writes.add(pool.submit(() -> {
                    AtomicFile.writeUnsynced(file, bytes(content));
                    String read = Files.readString(file);
                    assertThat(read.equals(a) || read.equals(b)).as("a whole file").isTrue();
                    return null;
                }));
            }
            for (Future<?> write : writes) write.get();
        }
        try (var names = Files.list(dir)) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly("container.json");
        }
    }
}
