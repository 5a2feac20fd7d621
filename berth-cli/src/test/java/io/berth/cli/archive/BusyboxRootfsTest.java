package io.berth.cli.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusyboxRootfsTest {

    @TempDir
    Path dir;

    private static Map<String, TarArchiveEntry> entries(byte[] tar, Map<String, String> contents) throws IOException {
        Map<String, TarArchiveEntry> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), e);
                if (e.isFile() && e.getSize() < 4096) {
                    contents.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    @Test
    void hostBusyboxMakesAReproducibleRootfs() throws Exception {
        Path busybox = BusyboxRootfs.findBusybox();
        byte[] binary = Files.readAllBytes(busybox);
        BusyboxRootfs.requireStatic(binary, busybox);
        List<String> applets = BusyboxRootfs.applets(busybox);
        assertThat(applets).contains("sh", "ls", "cat").doesNotContain("busybox");

        byte[] first = BusyboxRootfs.build(binary, applets);
        byte[] second = BusyboxRootfs.build(binary, new ArrayList<>(applets.reversed()));
        assertThat(second).isEqualTo(first);

        Map<String, String> contents = new LinkedHashMap<>();
        Map<String, TarArchiveEntry> e = entries(first, contents);
        List<String> names = new ArrayList<>(e.keySet());
        assertThat(names).isSorted();
        assertThat(e.get("bin/busybox").getSize()).isEqualTo(binary.length);
        assertThat(e.get("bin/busybox").getMode() & 07777).isEqualTo(0755);
        assertThat(e.get("bin/sh").isSymbolicLink()).isTrue();
        assertThat(e.get("bin/sh").getLinkName()).isEqualTo("busybox");
        assertThat(e.get("tmp/").getMode() & 07777).isEqualTo(01777);
        assertThat(e).containsKeys("dev/", "proc/", "sys/", "root/", "home/", "etc/hosts");
        assertThat(contents.get("etc/passwd")).contains("root:x:0:0:", "nobody:x:65534:", "berth:x:1000:1000:");
        assertThat(contents.get("etc/group")).contains("berth:x:1000:");
        assertThat(e.values()).allSatisfy(entry -> {
            assertThat(entry.getModTime().toInstant()).isEqualTo(BusyboxRootfs.MTIME);
            assertThat(entry.getUserName()).isEmpty();
        });
    }

    @Test
    void refusesDynamicallyLinkedOrNonElfBinaries() throws Exception {
        Path ls = Path.of("/bin/ls");
        byte[] dynamic = Files.readAllBytes(ls);
        assertThatThrownBy(() -> BusyboxRootfs.requireStatic(dynamic, ls)).hasMessageContaining("dynamically linked");
        assertThatThrownBy(() -> BusyboxRootfs.requireStatic("#!/bin/sh\n".repeat(10).getBytes(), Path.of("x")))
                .hasMessageContaining("not an ELF");
    }

    @Test
    void treeArchiverAndExtractorRoundTripWithRename() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(dir.resolve("src/a.txt"), "A");
        Files.writeString(src.resolve("b.txt"), "B");
        Files.createSymbolicLink(dir.resolve("src/link"), Path.of("a.txt"));
        var bytes = new java.io.ByteArrayOutputStream();
        TreeArchiver.write(dir.resolve("src"), "src", bytes);
        Path out = Files.createDirectories(dir.resolve("out"));
        TarExtractor.extract(new ByteArrayInputStream(bytes.toByteArray()), out, "src", "copy", false);
        assertThat(Files.readString(out.resolve("copy/a.txt"))).isEqualTo("A");
        assertThat(Files.readString(out.resolve("copy/sub/b.txt"))).isEqualTo("B");
        assertThat(Files.readSymbolicLink(out.resolve("copy/link"))).isEqualTo(Path.of("a.txt"));
    }

    @Test
    void extractorRefusesEntriesEscapingTheTarget() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            TarArchiveEntry evil = new TarArchiveEntry("../evil");
            evil.setSize(1);
            tar.putArchiveEntry(evil);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        assertThatThrownBy(() -> TarExtractor.extract(new ByteArrayInputStream(bytes.toByteArray()), out, null, null, false))
                .isInstanceOf(IOException.class);
        assertThat(dir.resolve("evil")).doesNotExist();
    }

    @Test
    void extractorNeverWritesThroughASymlinkTheArchiveMade() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        var bytes = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            TarArchiveEntry link = new TarArchiveEntry("copy/link", org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            link.setLinkName(outside.toString());
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            TarArchiveEntry evil = new TarArchiveEntry("copy/link/evil");
            evil.setSize(1);
            tar.putArchiveEntry(evil);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        assertThatThrownBy(() -> TarExtractor.extract(new ByteArrayInputStream(bytes.toByteArray()), out, null, null, false))
                .isInstanceOf(IOException.class).hasMessageContaining("writes through symlink");
        assertThat(outside.resolve("evil")).doesNotExist();
        assertThat(Files.isSymbolicLink(out.resolve("copy/link"))).isTrue();
    }
}
