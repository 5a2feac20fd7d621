package io.berth.store;

import io.berth.oci.Digest;
import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerUnpackerTest {
    @TempDir
    Path sandbox;
    Path target;
    Path outside;
    final LayerUnpacker unpacker = new LayerUnpacker();

    @BeforeEach
    void setUp() throws IOException {
        target = sandbox.resolve("target");
        outside = Files.createDirectory(sandbox.resolve("outside"));
    }

    private Digest unpack(byte[] tar, List<Path> lowers) {
        return unpacker.unpack(new ByteArrayInputStream(tar), target, lowers);
    }

    @Test
    void unpacksFilesDirsLinksAndMetadataAndReturnsTheDiffId() throws IOException {
        byte[] tar = new TarBuilder()
                .dir("./")
                .dir("./bin", 0750)
                .file("./bin/tool", "#!/bin/sh\n", 04755, 1000, 1001)
                .symlink("./bin/sh", "/bin/busybox")
                .hardlink("./bin/tool2", "./bin/tool")
                .file("etc/hostname", "box\n")
                .fifo("run/fifo")
                .build();
        Digest diffId = unpack(tar, List.of());
        assertThat(diffId).isEqualTo(Digest.sha256(tar));
        Path tool = target.resolve("bin/tool");
        assertThat(Files.readString(tool)).isEqualTo("#!/bin/sh\n");
        assertThat((Integer) Files.getAttribute(tool, "unix:mode") & 07777).isEqualTo(04755);
        assertThat(Files.getAttribute(tool, "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(tool, "unix:gid")).isEqualTo(1001);
        assertThat(Files.getLastModifiedTime(tool).toInstant()).isEqualTo(TarBuilder.MTIME);
        assertThat(Files.readSymbolicLink(target.resolve("bin/sh")).toString()).isEqualTo("/bin/busybox");
        assertThat(Files.getAttribute(target.resolve("bin/tool2"), "unix:ino"))
                .isEqualTo(Files.getAttribute(tool, "unix:ino"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("bin"))))
                .isEqualTo("rwxr-x---");
        assertThat(Files.getLastModifiedTime(target.resolve("bin")).toInstant()).isEqualTo(TarBuilder.MTIME);
        assertThat((Integer) Files.getAttribute(target.resolve("run/fifo"), "unix:mode") & 0170000).isEqualTo(010000);
    }

    @Test
    void detectsGzipAndHashesTheUncompressedStream() throws IOException {
        byte[] tar = new TarBuilder().file("a", "1").build();
        assertThat(unpack(TarBuilder.gzip(tar), List.of())).isEqualTo(Digest.sha256(tar));
        assertThat(Files.readString(target.resolve("a"))).isEqualTo("1");
    }

    @Test
    void copiesHardlinksIntoLowerLayers() throws IOException {
        Path lower = Files.createDirectories(sandbox.resolve("lower/usr/bin"));
        Files.writeString(lower.resolve("python3"), "py");
        unpack(new TarBuilder().hardlink("usr/bin/python", "usr/bin/python3").build(),
                List.of(sandbox.resolve("lower")));
        assertThat(Files.readString(target.resolve("usr/bin/python"))).isEqualTo("py");
    }

    @Test
    void refusesParentTraversal() {
        assertUnsafe(new TarBuilder().file("../evil", "x").build(), "'..' component");
        assertUnsafe(new TarBuilder().dir("a").file("a/../../outside/evil", "x").build(), "'..' component");
    }

    @Test
    void refusesAbsolutePaths() {
        assertUnsafe(new TarBuilder().file(outside.resolve("evil").toString(), "x").build(), "absolute path");
    }

    @Test
    void refusesWritingThroughASymlink() {
        assertUnsafe(new TarBuilder().symlink("link", outside.toString()).file("link/evil", "x").build(),
                "writes through symlink link");
        assertUnsafe(new TarBuilder().symlink("up", "../outside").file("up/evil", "x").build(),
                "writes through symlink up");
    }

    @Test
    void replacesASymlinkInsteadOfWritingThroughIt() throws IOException {
        unpack(new TarBuilder().symlink("f", outside.resolve("evil").toString()).file("f", "mine").build(), List.of());
        assertThat(Files.isSymbolicLink(target.resolve("f"))).isFalse();
        assertThat(Files.readString(target.resolve("f"))).isEqualTo("mine");
        assertNothingOutside();
    }

    @Test
    void refusesHardlinksOutsideTheLayer() throws IOException {
        Files.writeString(outside.resolve("secret"), "s");
        assertUnsafe(new TarBuilder().hardlink("h", "../outside/secret").build(), "outside the layer");
        assertUnsafe(new TarBuilder().hardlink("h", outside.resolve("secret").toString()).build(), "outside the layer");
        assertUnsafe(new TarBuilder().hardlink("h", "missing").build(), "outside the layer");
        assertUnsafe(new TarBuilder().symlink("l", outside.toString()).hardlink("h", "l/secret").build(),
                "outside the layer");
    }

    @Test
    void refusesDeviceNodes() {
        assertUnsafe(new TarBuilder().charDevice("dev/mem", 1, 1).build(), "device node");
    }

    @Test
    void refusesTruncatedArchives() {
        byte[] tar = new TarBuilder().file("a", "x".repeat(5000)).file("b", "y").build();
        for (int cut : new int[]{700, 2000, 512 * 13 + 100}) {
            byte[] truncated = Arrays.copyOf(tar, cut);
            assertThatThrownBy(() -> unpack(truncated, List.of()))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageStartingWith("layer tar: truncated");
            assertThat(target).doesNotExist();
        }
        byte[] gz = TarBuilder.gzip(tar);
        assertThatThrownBy(() -> unpack(Arrays.copyOf(gz, gz.length / 2), List.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("layer tar: truncated");
        assertThat(target).doesNotExist();
    }

    @Test
    void refusesANonEmptyTarget() throws IOException {
        Files.createDirectories(target.resolve("x"));
        assertThatThrownBy(() -> unpack(new TarBuilder().file("a", "1").build(), List.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not empty");
    }

    @Test
    @Tag("privileged")
    void convertsWhiteoutsToOverlayForm() throws Exception {
        unpack(new TarBuilder().dir("etc").file("etc/.wh.passwd", "").dir("opt").file("opt/.wh..wh..opq", "")
                .file("opt/new", "n").build(), List.of());
        Path whiteout = target.resolve("etc/passwd");
        assertThat((Integer) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
                .isEqualTo(020000);
        assertThat(Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
        assertThat(target.resolve("etc/.wh.passwd")).doesNotExist();
        assertThat(target.resolve("opt/.wh..wh..opq")).doesNotExist();
        assertThat(xattr(target.resolve("opt"), "trusted.overlay.opaque")).isEqualTo("y");
    }

    @Test
    @Tag("privileged")
    void appliesPaxXattrs() throws Exception {
        unpack(new TarBuilder().fileWithXattr("f", "x", "user.berth", "hello").build(), List.of());
        assertThat(xattr(target.resolve("f"), "user.berth")).isEqualTo("hello");
    }

    static String xattr(Path path, String name) throws Exception {
        Process p = new ProcessBuilder("python3", "-c",
                "import os,sys; sys.stdout.write(os.getxattr(sys.argv[1], sys.argv[2], follow_symlinks=False).decode())",
                path.toString(), name).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private void assertUnsafe(byte[] tar, String reason) {
        assertThatThrownBy(() -> unpack(tar, List.of()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("layer tar: unsafe entry ")
                .hasMessageContaining(reason);
        assertThat(target).doesNotExist();
        assertNothingOutside();
    }

    private void assertNothingOutside() {
        try (Stream<Path> all = Files.walk(sandbox)) {
            assertThat(all.filter(p -> !p.startsWith(target)).map(sandbox::relativize).map(Path::toString))
                    .allMatch(p -> p.isEmpty() || p.equals("outside") || p.equals("outside/secret") || p.startsWith("lower"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(sandbox.resolve("evil")).doesNotExist();
        assertThat(outside.resolve("evil")).doesNotExist();
    }
}
