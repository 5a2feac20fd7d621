package io.berth.fs;

import io.berth.linux.ErrnoException;
import io.berth.linux.FileCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RootedDirTest {
    @TempDir
    Path tmp;

    private Path root() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/secret"), "host");
        return root;
    }

    @Test
    void symlinkToSlashLeadsToTheRootNotTheHost() throws Exception {
        Path root = root();
        Files.createSymbolicLink(root.resolve("slash"), Path.of("/"));
        String hostPath = tmp.resolve("outside/secret").toString();
        try (RootedDir dir = RootedDir.open(root)) {
            assertThatThrownBy(() -> dir.resolve("slash" + hostPath, RootedDir.Links.FOLLOW_IN_ROOT, true))
                    .isInstanceOf(ErrnoException.class).satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(FileCalls.ENOENT));
            Files.createDirectories(root.resolve(hostPath.substring(1)).getParent());
            Files.writeString(root.resolve(hostPath.substring(1)), "container");
            try (FileHandle h = dir.resolve("slash" + hostPath, RootedDir.Links.FOLLOW_IN_ROOT, true);
                 var in = h.newInputStream()) {
                assertThat(new String(in.readAllBytes())).isEqualTo("container");
                assertThat(dir.pathOf(h)).isEqualTo(hostPath.substring(1));
            }
        }
    }

    @Test
    void dotDotAndRelativeLinksStopAtTheRoot() throws Exception {
        Path root = root();
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));
        try (RootedDir dir = RootedDir.open(root);
             FileHandle viaDots = dir.resolveDir("../../..", RootedDir.Links.FOLLOW_IN_ROOT)) {
            assertThat(dir.pathOf(viaDots)).isEmpty();
            assertThatThrownBy(() -> dir.resolveDir("up/up/outside", RootedDir.Links.FOLLOW_IN_ROOT))
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(FileCalls.ENOENT));
        }
        try (RootedDir dir = RootedDir.open(root);
             FileHandle viaLink = dir.resolveDir("up/../up", RootedDir.Links.FOLLOW_IN_ROOT)) {
            assertThat(dir.pathOf(viaLink)).isEmpty();
        }
    }

    @Test
    void refusingLinksRefusesEveryOneOnThePath() throws Exception {
        Path root = root();
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("real"));
        try (RootedDir dir = RootedDir.open(root)) {
            assertThatThrownBy(() -> dir.resolveDir("link", RootedDir.Links.REFUSE))
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(FileCalls.ELOOP));
            try (FileHandle h = dir.resolveDir("link", RootedDir.Links.FOLLOW_IN_ROOT)) {
                assertThat(dir.pathOf(h)).isEqualTo("real");
            }
            try (FileHandle h = dir.resolve("link", RootedDir.Links.REFUSE, false)) {
                assertThat(h.stat().isSymlink()).isTrue();
                assertThat(h.readlink()).isEqualTo("real");
            }
        }
    }

    @Test
    void procMagicLinksAreRefused() throws Exception {
        // With "/" as the root, /proc is the real procfs: its magic links would jump anywhere.
        try (RootedDir dir = RootedDir.open(Path.of("/"))) {
            assertThatThrownBy(() -> dir.resolveDir("/proc/self/root/etc", RootedDir.Links.FOLLOW_IN_ROOT))
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(FileCalls.ELOOP));
            assertThatThrownBy(() -> dir.resolve("/proc/self/cwd", RootedDir.Links.FOLLOW_IN_ROOT, true))
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(FileCalls.ELOOP));
        }
    }

    @Test
    void childOperationsNeverFollowALinkInTheirPlace() throws Exception {
        Path root = root();
        Files.createSymbolicLink(root.resolve("out"), tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("secret"), tmp.resolve("outside/secret"));
        try (RootedDir dir = RootedDir.open(root)) {
            FileHandle top = dir.handle();
            assertThatThrownBy(() -> top.childDir("out"))
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(FileCalls.ELOOP));
            assertThatThrownBy(() -> top.createFile("secret", 0644))
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(FileCalls.EEXIST));
            top.removeChild("out");
            top.removeChild("secret");
            assertThat(tmp.resolve("outside/secret")).hasContent("host");
            assertThat(root.resolve("out")).doesNotExist();
            top.mkdir("d", 0755);
            try (FileHandle d = top.childDir("d"); FileHandle.WritableFile f = d.createFile("f", 0600)) {
                f.write("abc".getBytes(), 0, 3);
                f.chmod(04755);
            }
            assertThat(root.resolve("d/f")).hasContent("abc");
            top.removeChild("d");
            assertThat(root.resolve("d")).doesNotExist();
        }
    }
}
