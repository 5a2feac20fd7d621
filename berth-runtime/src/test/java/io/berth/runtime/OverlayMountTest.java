package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.linux.ErrnoException;

/**
 * overlay through mount(2), the path kernels before 6.8 take (no {@code lowerdir+}): an image of 100 layers under a
 * store's long paths. Before: the option string passed a page and the mount failed, so on Debian bookworm's kernel
 * an image of ~40 layers could not run. Needs root.
 */
@Tag("privileged")
class OverlayMountTest {
    @TempDir
    Path dir;

    @Test
    void oneHundredLayersWithLongPathsMountThroughMount2() throws Exception {
        // as long as DATA-ROOT/store/snapshots/<sha256>/fs: 100 of them overflow a page
        Path store = Files.createDirectories(dir.resolve("data-root/store/snapshots"));
        List<Path> lowers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Path layer = Files.createDirectories(store.resolve(String.format("%064x", i)).resolve("fs"));
            Files.writeString(layer.resolve("f" + i), "layer " + i);
            Files.writeString(layer.resolve("top"), Integer.toString(i));
            lowers.add(layer);
        }
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path merged = Files.createDirectories(dir.resolve("merged"));
        assertThat(OverlayMount.options(lowers, upper, work).length()).isGreaterThan(OverlayMount.MOUNT_OPTIONS_MAX);
        // what berth did before: the store's paths in one string
        assertThatThrownBy(() -> LinuxCalls.mount("overlay", merged.toString(), "overlay", 0, OverlayMount.options(lowers, upper, work)))
                .isInstanceOf(ErrnoException.class);
        assertThat(OverlayMount.isMounted(merged)).isFalse();

        long fdsBefore = openFds();
        OverlayMount.mountThroughMount2(lowers, upper, work, merged);
        try {
            assertThat(OverlayMount.isMounted(merged)).isTrue();
            assertThat(openFds()).as("the layers' descriptors are closed after the mount").isEqualTo(fdsBefore);
            for (int i = 0; i < 100; i++) assertThat(Files.readString(merged.resolve("f" + i))).isEqualTo("layer " + i);
            assertThat(Files.readString(merged.resolve("top"))).as("the topmost layer, first in the list, wins").isEqualTo("0");
            Files.writeString(merged.resolve("new"), "written");
            assertThat(Files.readString(upper.resolve("new"))).isEqualTo("written");
        } finally {
            OverlayMount.unmount(merged);
        }
        assertThat(OverlayMount.isMounted(merged)).isFalse();
    }

    @Test
    void aFewLayersKeepTheirPathsInTheOptions() throws Exception {
        Path lower = Files.createDirectories(dir.resolve("lower"));
        Files.writeString(lower.resolve("f"), "x");
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path merged = Files.createDirectories(dir.resolve("merged"));
        OverlayMount.mountThroughMount2(List.of(lower), upper, work, merged);
        try {
            String line = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> l.contains(" " + merged + " ")).findFirst().orElseThrow();
            assertThat(line).contains("lowerdir=" + lower);
        } finally {
            OverlayMount.unmount(merged);
        }
    }

    private static long openFds() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
