package io.berth.fs;

import io.berth.linux.FileCalls;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile archives against the one applier, in each of its uses: nothing lands outside the root. */
class TarApplierTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;

    @BeforeEach
    void dirs() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("victim"), "host");
    }

    /** A tar built entry by entry. */
    static final class Tar {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

        Tar dir(String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(0755);
            return put(e, null);
        }

        Tar file(String name, String content) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setMode(0644);
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            return put(e, data);
        }

        Tar symlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(target);
            return put(e, null);
        }

        Tar hardlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
            e.setLinkName(target);
            return put(e, null);
        }

        Tar special(String name, byte type) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, type);
            e.setMode(0644);
            return put(e, null);
        }

        private Tar put(TarArchiveEntry e, byte[] data) throws IOException {
            out.putArchiveEntry(e);
            if (data != null) out.write(data);
            out.closeArchiveEntry();
            return this;
        }

        byte[] bytes() throws IOException {
            out.finish();
            return bytes.toByteArray();
        }
    }

    private void apply(Tar tar, String base, TarApplier.Options options) throws IOException {
        try (RootedDir dir = RootedDir.open(root);
             TarApplier applier = new TarApplier(dir, base, "tar", options);
             TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar.bytes()))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                applier.apply(e, in);
            }
            applier.finish();
        }
    }

    private static final TarApplier.Options LAYER = TarApplier.Options.layer(List.of());
    private static final TarApplier.Options CONTAINER = TarApplier.Options.intoContainer(false, true);
    private static final TarApplier.Options HOST = TarApplier.Options.intoHostDirectory(false);

    private void assertOutsideUntouched() throws IOException {
        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("victim");
        }
        assertThat(outside.resolve("victim")).hasContent("host");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("root", "outside");
        }
    }

    private void refusedEverywhere(String reason, Consumer<Tar> build) throws IOException {
        for (TarApplier.Options options : List.of(LAYER, CONTAINER, HOST)) {
            Tar tar = new Tar();
            build.accept(tar);
            assertThatThrownBy(() -> apply(tar, "", options)).isInstanceOf(BadArchiveException.class).hasMessageContaining(reason);
            assertOutsideUntouched();
        }
    }

    private interface Entries {
        void add(Tar t) throws IOException;
    }

    private static Consumer<Tar> entries(Entries e) {
        return t -> {
            try {
                e.add(t);
            } catch (IOException x) {
                throw new RuntimeException(x);
            }
        };
    }

    @Test
    void noOverwriteDirNonDirRefusesAChangeOfTypeEitherWay() throws IOException {
        TarApplier.Options strict = TarApplier.Options.intoContainer(false, false);
        clearRoot();
        Files.createDirectories(root.resolve("d/inner"));
        Files.writeString(root.resolve("f"), "file");
        assertThatThrownBy(() -> apply(new Tar().file("d", "x"), "", strict)).isInstanceOf(BadArchiveException.class)
                .hasMessageContaining("cannot overwrite directory");
        assertThatThrownBy(() -> apply(new Tar().dir("f"), "", strict)).isInstanceOf(BadArchiveException.class)
                .hasMessageContaining("cannot overwrite non-directory");
        assertThat(root.resolve("d/inner")).isDirectory();
        assertThat(root.resolve("f")).hasContent("file");
        apply(new Tar().file("d", "x").dir("f"), "", CONTAINER); // Docker's noOverwriteDirNonDir=false replaces
        assertThat(root.resolve("d")).hasContent("x");
        assertThat(root.resolve("f")).isDirectory();
    }

    @Test
    void dotDotAndAbsoluteNamesAreRefused() throws IOException {
        refusedEverywhere("'..' component", entries(t -> t.file("../outside/victim", "x")));
        refusedEverywhere("'..' component", entries(t -> t.file("a/../../outside/victim", "x")));
        refusedEverywhere("absolute path", entries(t -> t.file(outside.resolve("victim").toString(), "x")));
    }

    @Test
    void symlinkThenLinkSlashFileNeverWritesOutside() throws IOException {
        String target = outside.toString();
        refusedEverywhereButContainer(entries(t -> t.dir(target.substring(1)).symlink("link", target).file("link/victim", "x")));
        // In a container the link leads to the same path inside the container's root.
        assertThat(root.resolve(target.substring(1)).resolve("victim")).hasContent("x");
        refusedEverywhereButContainer(entries(t -> t.symlink("up", "../../..").file("up/outside/victim", "x")));
        assertThat(root.resolve("outside/victim")).hasContent("x");
    }

    private void refusedEverywhereButContainer(Consumer<Tar> build) throws IOException {
        for (TarApplier.Options options : List.of(LAYER, HOST)) {
            clearRoot();
            Tar tar = new Tar();
            build.accept(tar);
            assertThatThrownBy(() -> apply(tar, "", options)).isInstanceOf(BadArchiveException.class)
                    .hasMessageContaining("writes through symlink");
            assertOutsideUntouched();
        }
        clearRoot();
        Tar tar = new Tar();
        build.accept(tar);
        apply(tar, "", CONTAINER);
        assertOutsideUntouched();
    }

    private void clearRoot() throws IOException {
        try (RootedDir dir = RootedDir.open(root)) {
            for (String name : dir.handle().list()) dir.handle().removeChild(name);
        }
    }

    @Test
    void hardlinksOutsideAreRefused() throws IOException {
        refusedEverywhere("outside the layer", entries(t -> t.hardlink("hl", "../outside/victim")));
        refusedEverywhere("outside the layer", entries(t -> t.hardlink("hl", outside.resolve("victim").toString())));
        // Through a symlink of the archive: layers and host dirs refuse it; in a container it resolves inside.
        for (TarApplier.Options options : List.of(LAYER, CONTAINER, HOST)) {
            clearRoot();
            Tar tar = new Tar().symlink("link", outside.toString()).hardlink("hl", "link/victim");
            assertThatThrownBy(() -> apply(tar, "", options)).isInstanceOf(BadArchiveException.class)
                    .hasMessageContaining("outside the layer");
            assertOutsideUntouched();
            assertThat(Files.readAttributes(outside.resolve("victim"), "unix:nlink")).containsEntry("nlink", 1);
        }
    }

    @Test
    void symlinkChainsStayInsideTheRoot() throws IOException {
        clearRoot();
        apply(new Tar().symlink("a", "b").symlink("b", "c").symlink("c", outside.toString()).dir(outside.toString().substring(1))
                .file("a/victim", "inside"), "", CONTAINER);
        assertThat(root.resolve(outside.toString().substring(1)).resolve("victim")).hasContent("inside");
        assertOutsideUntouched();
    }

    @Test
    void aDirectoryReplacedBySymlinkBetweenEntriesIsNotWrittenThrough() throws IOException {
        for (TarApplier.Options options : List.of(LAYER, HOST)) {
            clearRoot();
            Tar tar = new Tar().dir("d").file("d/one", "1").symlink("d", outside.toString()).file("d/victim", "x");
            if (options == HOST) {
                // A host directory is never replaced by a non-directory.
                assertThatThrownBy(() -> apply(tar, "", options)).isInstanceOf(BadArchiveException.class)
                        .hasMessageContaining("cannot overwrite directory");
            } else {
                assertThatThrownBy(() -> apply(tar, "", options)).isInstanceOf(BadArchiveException.class)
                        .hasMessageContaining("writes through symlink");
            }
            assertOutsideUntouched();
        }
        clearRoot();
        apply(new Tar().dir(outside.toString().substring(1)).dir("d").file("d/one", "1").symlink("d", outside.toString())
                .file("d/victim", "x"), "", CONTAINER);
        assertThat(root.resolve(outside.toString().substring(1)).resolve("victim")).hasContent("x");
        assertOutsideUntouched();
    }

    @Test
    void deviceNodesAreRefusedFifosKept() throws IOException {
        refusedEverywhere("device node", entries(t -> t.special("null", TarConstants.LF_CHR)));
        refusedEverywhere("device node", entries(t -> t.special("sda", TarConstants.LF_BLK)));
        clearRoot();
        apply(new Tar().special("pipe", TarConstants.LF_FIFO), "", LAYER);
        assertThat((Integer) Files.getAttribute(root.resolve("pipe"), "unix:mode", LinkOption.NOFOLLOW_LINKS) & FileCalls.S_IFMT)
                .isEqualTo(FileCalls.S_IFIFO);
    }

    @Test
    void layerWhiteoutsBecomeOverlayWhiteouts() throws IOException {
        apply(new Tar().dir("etc").file("etc/.wh.passwd", "").file("opq/.wh..wh..opq", ""), "", LAYER);
        int mode = (Integer) Files.getAttribute(root.resolve("etc/passwd"), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertThat(mode & FileCalls.S_IFMT).isEqualTo(FileCalls.S_IFCHR);
        assertThat(Files.getAttribute(root.resolve("etc/passwd"), "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
        assertThatThrownBy(() -> apply(new Tar().file(".wh...", ""), "", LAYER)).isInstanceOf(BadArchiveException.class);
    }

    @Test
    void aBaseDirectoryKeepsEntriesBelowItAndModesAreApplied() throws IOException {
        Files.createDirectories(root.resolve("tmp"));
        TarArchiveEntry exec = new TarArchiveEntry("bin/tool");
        Tar tar = new Tar().dir("bin").file("bin/tool", "#!");
        apply(tar, "tmp", CONTAINER);
        assertThat(root.resolve("tmp/bin/tool")).hasContent("#!");
        assertThat(Files.getPosixFilePermissions(root.resolve("tmp/bin"))).hasSize(7);
        assertThat(exec.getName()).isEqualTo("bin/tool");
        // A truncated entry is the archive's fault.
        byte[] whole = new Tar().file("big", "0123456789").bytes();
        byte[] cut = java.util.Arrays.copyOf(whole, 515);
        assertThatThrownBy(() -> {
            try (RootedDir dir = RootedDir.open(root);
                 TarApplier applier = new TarApplier(dir, "", "tar", LAYER);
                 TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(cut))) {
                List<TarArchiveEntry> seen = new ArrayList<>();
                for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    seen.add(e);
                    applier.apply(e, in);
                }
            }
        }).isInstanceOf(BadArchiveException.class).hasMessageContaining("truncated");
    }
}
