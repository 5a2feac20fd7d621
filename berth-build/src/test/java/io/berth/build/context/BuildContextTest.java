package io.berth.build.context;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildContextTest {
    @TempDir
    Path tmp;

    private Path context() throws IOException {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        write(ctx.resolve("Dockerfile"), "FROM scratch\n");
        write(ctx.resolve("app/main.go"), "package main\n");
        write(ctx.resolve("app/util.go"), "package util\n");
        write(ctx.resolve("app/README.md"), "# app\n");
        write(ctx.resolve("app/sub/deep.txt"), "deep\n");
        write(ctx.resolve("notes.txt"), "notes\n");
        write(ctx.resolve("outside"), "the context's own file named outside\n");
        return ctx;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static List<String> placed(List<ContextFile> files) {
        return files.stream().map(f -> f.relativePath().isEmpty() ? "=" + f.path().getFileName() : f.relativePath()).toList();
    }

    @Test
    void fileAndDirectorySources() throws IOException {
        try (BuildContext context = BuildContext.fromDirectory(context())) {
            List<ContextFile> file = context.resolve(List.of("notes.txt"));
            assertThat(file).singleElement().satisfies(f -> {
                assertThat(f.relativePath()).isEmpty();
                assertThat(f.size()).isEqualTo(6);
                assertThat(f.directory()).isFalse();
                assertThat(f.path()).isEqualTo(context.root().resolve("notes.txt"));
            });
            assertThat(placed(context.resolve(List.of("app")))).containsExactly(
                    "README.md", "main.go", "sub", "sub/deep.txt", "util.go");
            assertThat(placed(context.resolve(List.of(".")))).contains("Dockerfile", "app", "app/sub/deep.txt", "notes.txt");
        }
    }

    @Test
    void wildcardsMatchPerSegment() throws IOException {
        try (BuildContext context = BuildContext.fromDirectory(context())) {
            assertThat(placed(context.resolve(List.of("app/*.go")))).containsExactly("=main.go", "=util.go");
            assertThat(placed(context.resolve(List.of("*/*.md")))).containsExactly("=README.md");
            assertThat(placed(context.resolve(List.of("*.go")))).isEmpty();
        } catch (NotFoundException expected) {
            assertThat(expected).hasMessageContaining("stat *.go: file does not exist");
        }
        try (BuildContext context = BuildContext.fromDirectory(tmp.resolve("ctx"))) {
            assertThat(placed(context.resolve(List.of("ap?/s[u]b")))).containsExactly("deep.txt");
        }
    }

    @Test
    void missingSourceIsAClearError() throws IOException {
        try (BuildContext context = BuildContext.fromDirectory(context())) {
            assertThatThrownBy(() -> context.resolve(List.of("nope.txt")))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessage("COPY failed: file not found in build context or excluded by .dockerignore: stat nope.txt: file does not exist");
        }
    }

    @Test
    void parentAndAbsoluteSourcesAreClampedToTheRoot() throws IOException {
        Path ctx = context();
        write(tmp.resolve("outside"), "SECRET from outside the context\n");
        write(tmp.resolve("secret.txt"), "SECRET\n");
        try (BuildContext context = BuildContext.fromDirectory(ctx)) {
            List<ContextFile> files = context.resolve(List.of("../outside"));
            assertThat(files).singleElement().satisfies(f -> assertThat(f.path()).isEqualTo(context.root().resolve("outside")));
            assertThat(Files.readString(files.getFirst().path())).doesNotContain("SECRET");
            assertThat(context.resolve(List.of("/notes.txt")).getFirst().path()).isEqualTo(context.root().resolve("notes.txt"));
            assertThatThrownBy(() -> context.resolve(List.of("../../secret.txt"))).isInstanceOf(NotFoundException.class);
            // A wildcard is clamped too: "../*.txt" lists the context root, not its parent.
            assertThat(context.resolve(List.of("../*.txt"))).extracting(ContextFile::path)
                    .containsExactly(context.root().resolve("notes.txt"));
        }
    }

    @Test
    void symlinksPointingOutsideAreNeverFollowed() throws IOException {
        Path ctx = context();
        write(tmp.resolve("secret/key.pem"), "SECRET KEY\n");
        Files.createSymbolicLink(ctx.resolve("link-file"), tmp.resolve("secret/key.pem"));
        Files.createSymbolicLink(ctx.resolve("link-dir"), tmp.resolve("secret"));
        Files.createSymbolicLink(ctx.resolve("app/up"), Path.of("../../secret"));
        try (BuildContext context = BuildContext.fromDirectory(ctx)) {
            // The symlink itself is copied, as a symlink.
            assertThat(context.resolve(List.of("link-file"))).singleElement().satisfies(f -> {
                assertThat(f.symlink()).isTrue();
                assertThat(f.linkTarget()).isEqualTo(tmp.resolve("secret/key.pem").toString());
                assertThat(f.size()).isZero();
            });
            // A parent symlink is resolved inside the context: <root>/<tmp>/secret/key.pem does not exist.
            assertThatThrownBy(() -> context.resolve(List.of("link-dir/key.pem"))).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> context.resolve(List.of("app/up/key.pem"))).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> context.resolve(List.of("link-dir/*"))).isInstanceOf(NotFoundException.class);
            // Inside a copied directory, symlinks are entries, not followed.
            List<ContextFile> app = context.resolve(List.of("app"));
            assertThat(app).filteredOn(f -> f.relativePath().equals("up")).singleElement()
                    .satisfies(f -> assertThat(f.symlink()).isTrue());
            assertThat(app).noneMatch(f -> f.path().toString().contains("key.pem"));
            // The digest hashes the link target text, never the file it points to.
            var before = context.contentDigest(context.resolve(List.of("link-file")));
            Files.writeString(tmp.resolve("secret/key.pem"), "CHANGED\n");
            assertThat(context.contentDigest(context.resolve(List.of("link-file")))).isEqualTo(before);
        }
    }

    @Test
    void dockerignoreHidesFilesButNotTheDockerfile() throws IOException {
        Path ctx = context();
        write(ctx.resolve(".dockerignore"), "Dockerfile\n.dockerignore\n**/*.md\napp/sub\n!app/sub/deep.txt\nnotes.txt\n");
        try (BuildContext context = BuildContext.fromDirectory(ctx)) {
            assertThat(context.readDockerfile(null)).isEqualTo("FROM scratch\n");
            assertThat(placed(context.resolve(List.of(".")))).containsExactly(
                    "app", "app/main.go", "app/sub", "app/sub/deep.txt", "app/util.go", "outside");
            assertThatThrownBy(() -> context.resolve(List.of("notes.txt")))
                    .hasMessageContaining("excluded by .dockerignore: stat notes.txt");
            assertThatThrownBy(() -> context.resolve(List.of("app/*.md"))).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void readDockerfileStaysInside() throws IOException {
        Path ctx = context();
        write(ctx.resolve("build/Dockerfile.prod"), "FROM prod\n");
        write(tmp.resolve("Dockerfile.evil"), "FROM evil\n");
        Files.createSymbolicLink(ctx.resolve("Dockerfile.link"), Path.of("../Dockerfile.evil"));
        try (BuildContext context = BuildContext.fromDirectory(ctx)) {
            assertThat(context.readDockerfile("build/Dockerfile.prod")).isEqualTo("FROM prod\n");
            assertThat(context.readDockerfile(ctx.resolve("build/Dockerfile.prod").toString())).isEqualTo("FROM prod\n");
            assertThatThrownBy(() -> context.readDockerfile("../Dockerfile.evil"))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must be within the build context");
            assertThatThrownBy(() -> context.readDockerfile("Dockerfile.link"))
                    .isInstanceOf(NotFoundException.class).hasMessage("Cannot locate specified Dockerfile: Dockerfile.link");
            assertThatThrownBy(() -> context.readDockerfile("missing"))
                    .hasMessage("Cannot locate specified Dockerfile: missing");
        }
    }

    @Test
    void contentDigestIgnoresMtimeButNotContentOrMode() throws IOException {
        Path ctx = context();
        try (BuildContext context = BuildContext.fromDirectory(ctx)) {
            var first = context.contentDigest(context.resolve(List.of("app")));
            Files.setLastModifiedTime(ctx.resolve("app/main.go"), FileTime.fromMillis(0));
            assertThat(context.contentDigest(context.resolve(List.of("app")))).isEqualTo(first);
            Files.setPosixFilePermissions(ctx.resolve("app/main.go"), PosixFilePermissions.fromString("rwx------"));
            var chmodded = context.contentDigest(context.resolve(List.of("app")));
            assertThat(chmodded).isNotEqualTo(first);
            Files.writeString(ctx.resolve("app/main.go"), "package main // changed\n");
            assertThat(context.contentDigest(context.resolve(List.of("app")))).isNotEqualTo(chmodded);
        }
        // The same files elsewhere on disk give the same digest.
        Path copy = tmp.resolve("copy");
        write(copy.resolve("x/notes.txt"), "notes\n");
        try (BuildContext a = BuildContext.fromDirectory(ctx); BuildContext b = BuildContext.fromDirectory(copy)) {
            Files.setPosixFilePermissions(copy.resolve("x/notes.txt"), Files.getPosixFilePermissions(ctx.resolve("notes.txt")));
            assertThat(b.contentDigest(b.resolve(List.of("x/notes.txt"))))
                    .isEqualTo(a.contentDigest(a.resolve(List.of("notes.txt"))));
        }
    }

    @Test
    void tarContextIsExtractedAndRemovedOnClose() throws IOException {
        byte[] tar = tar(true, out -> {
            file(out, "Dockerfile", "FROM scratch\nCOPY . /\n", 0644);
            file(out, "src/a.txt", "a\n", 0600);
            file(out, ".dockerignore", "*.log\n", 0644);
            file(out, "debug.log", "noise\n", 0644);
        });
        Path scratch = tmp.resolve("scratch");
        try (BuildContext context = BuildContext.fromTar(new ByteArrayInputStream(tar), scratch)) {
            assertThat(context.readDockerfile("Dockerfile")).startsWith("FROM scratch");
            assertThat(context.resolve(List.of("src/a.txt"))).singleElement()
                    .satisfies(f -> assertThat(f.mode()).isEqualTo(0600));
            assertThatThrownBy(() -> context.resolve(List.of("debug.log"))).isInstanceOf(NotFoundException.class);
        }
        assertThat(scratch).doesNotExist();
    }

    @Test
    void tarContextRefusesParentAndAbsoluteEntryNames() throws IOException {
        List<TarWriter> unsafe = List.of(
                out -> file(out, "../escape.txt", "x", 0644),
                out -> file(out, "a/../../escape.txt", "x", 0644),
                out -> file(out, "/abs-berth-test.txt", "x", 0644));
        int i = 0;
        for (TarWriter writer : unsafe) {
            Path scratch = tmp.resolve("scratch" + i++);
            byte[] bytes = tar(false, writer);
            assertThatThrownBy(() -> BuildContext.fromTar(new ByteArrayInputStream(bytes), scratch))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageStartingWith("invalid build context tar: ");
            assertThat(scratch).doesNotExist();
        }
        assertThat(tmp.resolve("escape.txt")).doesNotExist();
        assertThat(Path.of("/abs-berth-test.txt")).doesNotExist();
    }

    @Test
    void tarContextNeverWritesThroughASymlinkToOutside() throws IOException {
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        byte[] bytes = tar(false, out -> {
            TarArchiveEntry link = new TarArchiveEntry("link", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName(victim.toString());
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
            file(out, "link/pwned.txt", "x", 0644);
        });
        Path scratch = tmp.resolve("scratch");
        try (BuildContext context = BuildContext.fromTar(new ByteArrayInputStream(bytes), scratch)) {
            // The symlink is resolved inside the context root, so the entry lands inside the scratch directory.
            assertThat(victim.resolve("pwned.txt")).doesNotExist();
            assertThat(context.root().resolve(victim.toString().substring(1)).resolve("pwned.txt")).exists();
            assertThat(context.resolve(List.of("link"))).singleElement().satisfies(f -> assertThat(f.symlink()).isTrue());
        }
        assertThat(victim).isEmptyDirectory();
    }

    interface TarWriter {
        void write(TarArchiveOutputStream out) throws IOException;
    }

    private static void file(TarArchiveOutputStream out, String name, String content, int mode) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(data.length);
        entry.setMode(0100000 | mode);
        out.putArchiveEntry(entry);
        out.write(data);
        out.closeArchiveEntry();
    }

    private static byte[] tar(boolean gzip, TarWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream sink = gzip ? new GzipCompressorOutputStream(bytes) : bytes;
             TarArchiveOutputStream out = new TarArchiveOutputStream(sink)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            writer.write(out);
        }
        return bytes.toByteArray();
    }
}
