package io.berth.store;

import io.berth.fs.FileHandle;
import io.berth.fs.RootedDir;
import io.berth.fs.TreeTarWriter;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryCopyTest {
    @TempDir
    Path tmp;
    Path rootfs;
    Path outside;

    @BeforeEach
    void setUp() throws Exception {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createSymbolicLink(rootfs.resolve("escape"), outside);
        Files.createSymbolicLink(rootfs.resolve("etc/up"), Path.of("../../../outside"));
    }

    @Test
    void untarFollowsContainerSymlinksOnlyInsideTheRoot() throws Exception {
        byte[] tar = new TarBuilder().file("escape/evil", "x").file("etc/up/evil2", "y").file("plain", "z").build();
        DirectoryUntar.extract(new ByteArrayInputStream(tar), rootfs, "/", false, false);
        try (var s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
        assertThat(Files.readString(rootfs.resolve("plain"))).isEqualTo("z");
        assertThat(Files.readString(rootfs.resolve("outside/evil2"))).isEqualTo("y");
        assertThat(Files.readString(rootfs.resolve(outside.toString().substring(1)).resolve("evil"))).isEqualTo("x");
    }

    @Test
    void untarIntoADestinationThroughASymlinkStaysInside() throws Exception {
        byte[] tar = new TarBuilder().file("f", "x").build();
        Files.createDirectories(rootfs.resolve("outside")); // where etc/up leads inside the root
        DirectoryUntar.extract(new ByteArrayInputStream(tar), rootfs, "/etc/up/..", false, false);
        assertThat(Files.readString(rootfs.resolve("f"))).isEqualTo("x");
        assertThatThrownBy(() -> DirectoryUntar.extract(new ByteArrayInputStream(tar), rootfs, "/nope", false, false))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void untarRefusesUnsafeEntries() {
        for (byte[] tar : new byte[][]{
                new TarBuilder().file("../evil", "x").build(),
                new TarBuilder().file(outside.resolve("evil").toString(), "x").build(),
                new TarBuilder().charDevice("dev", 1, 3).build()}) {
            assertThatThrownBy(() -> DirectoryUntar.extract(new ByteArrayInputStream(tar), rootfs, "/tmp", false, false))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("tar: unsafe entry");
        }
        assertThat(outside.resolve("evil")).doesNotExist();
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void tarThenUntarRoundTrips() throws Exception {
        Path src = Files.createDirectories(rootfs.resolve("tmp/src/sub"));
        Files.writeString(src.resolve("file"), "data");
        Files.createLink(src.resolve("hard"), src.resolve("file"));
        Files.createSymbolicLink(src.resolve("link"), Path.of("/etc/passwd"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RootedDir root = RootedDir.open(rootfs);
             FileHandle source = root.resolve("/tmp/src", RootedDir.Links.FOLLOW_IN_ROOT, false)) {
            TreeTarWriter.write(source, "copy", out);
        }

        Path dest = Files.createDirectories(tmp.resolve("dest"));
        DirectoryUntar.extract(new ByteArrayInputStream(out.toByteArray()), dest, "/", true, false);
        assertThat(Files.readString(dest.resolve("copy/sub/file"))).isEqualTo("data");
        assertThat(Files.getAttribute(dest.resolve("copy/sub/hard"), "unix:ino"))
                .isEqualTo(Files.getAttribute(dest.resolve("copy/sub/file"), "unix:ino"));
        assertThat(Files.readSymbolicLink(dest.resolve("copy/sub/link")).toString()).isEqualTo("/etc/passwd");
        assertThat(Files.getLastModifiedTime(dest.resolve("copy/sub/file")).toInstant().getEpochSecond())
                .isEqualTo(Files.getLastModifiedTime(src.resolve("file")).toInstant().getEpochSecond());
    }
}
