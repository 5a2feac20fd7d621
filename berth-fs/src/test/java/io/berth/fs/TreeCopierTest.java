package io.berth.fs;

import io.berth.linux.FileCalls;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Owners need root: tagged privileged, as the tests that chown are. */
@Tag("privileged")
class TreeCopierTest {
    @TempDir
    Path tmp;

    @Test
    void copiesContentOwnersModesTimesLinksAndFifosWithoutFollowingSymlinks() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path sub = Files.createDirectories(src.resolve("sub/deeper"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(big);
        Files.write(src.resolve("sub/big"), big);
        Files.writeString(src.resolve("empty"), "");
        Files.writeString(src.resolve("suid"), "#!/bin/sh\n");
        Files.setAttribute(src.resolve("suid"), "unix:uid", 1000);
        Files.setAttribute(src.resolve("suid"), "unix:mode", 04755);
        Files.createLink(src.resolve("sub/hard"), src.resolve("suid"));
        Files.createSymbolicLink(src.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(src.resolve("etc"), Path.of("/etc"));
        FileCalls.mknodat(FileCalls.AT_FDCWD, src.resolve("fifo").toString(), FileCalls.S_IFIFO | 0640, 0);
        Files.setAttribute(sub, "unix:gid", 100);
        Files.setAttribute(sub, "unix:mode", 02750);
        Files.setAttribute(src.resolve("sub"), "unix:mode", 0500); // read-only: filled before its mode is set
        Files.setLastModifiedTime(sub, FileTime.fromMillis(1_000_000_000_000L));
        Files.setAttribute(src, "unix:uid", 33);
        Files.setAttribute(src, "unix:mode", 0711);
        Path dst = Files.createDirectories(tmp.resolve("dst"));

        try (RootedDir from = RootedDir.open(src); RootedDir to = RootedDir.open(dst)) {
            TreeCopier.copyContents(from.handle(), to);
        }

        assertThat(Files.readAllBytes(dst.resolve("sub/big"))).isEqualTo(big);
        assertThat(dst.resolve("empty")).isEmptyFile();
        assertThat(attrs(dst.resolve("suid"))).containsEntry("uid", 1000).containsEntry("mode", 0100000 | 04755);
        assertThat(Files.getAttribute(dst.resolve("sub/hard"), "unix:ino")).isEqualTo(Files.getAttribute(dst.resolve("suid"), "unix:ino"));
        assertThat(Files.readSymbolicLink(dst.resolve("passwd"))).isEqualTo(Path.of("/etc/passwd"));
        assertThat(Files.isSymbolicLink(dst.resolve("etc"))).isTrue();
        assertThat(attrs(dst.resolve("fifo")).get("mode")).isEqualTo(FileCalls.S_IFIFO | 0640);
        assertThat(attrs(dst.resolve("sub/deeper"))).containsEntry("gid", 100).containsEntry("mode", 040000 | 02750);
        assertThat(Files.getLastModifiedTime(dst.resolve("sub/deeper"))).isEqualTo(FileTime.fromMillis(1_000_000_000_000L));
        assertThat(attrs(dst.resolve("sub")).get("mode")).isEqualTo(040000 | 0500);
        assertThat(attrs(dst)).containsEntry("uid", 33).containsEntry("mode", 040000 | 0711);
        try (var names = Files.list(dst)) {
            assertThat(names.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("sub", "empty", "suid", "passwd", "etc", "fifo");
        }
    }

    @Test
    void refusesDeviceNodes() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        FileCalls.mknodat(FileCalls.AT_FDCWD, src.resolve("null").toString(), FileCalls.S_IFCHR | 0666, (1L << 8) | 3);
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        try (RootedDir from = RootedDir.open(src); RootedDir to = RootedDir.open(dst)) {
            assertThatThrownBy(() -> TreeCopier.copyContents(from.handle(), to)).isInstanceOf(IOException.class)
                    .hasMessage("refusing to copy device node null");
        }
    }

    private static Map<String, Object> attrs(Path p) throws IOException {
        return Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    }
}
