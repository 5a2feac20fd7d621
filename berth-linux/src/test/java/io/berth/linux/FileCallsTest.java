package io.berth.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileCallsTest {
    @TempDir
    Path tmp;

    @Test
    void statxFieldsAreWhereTheStructPutsThem() throws Exception {
        Path f = tmp.resolve("f");
        Files.writeString(f, "12345");
        Files.createLink(tmp.resolve("g"), f);
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_123L));
        FileCalls.Stat st = FileCalls.statx(FileCalls.AT_FDCWD, f.toString(), FileCalls.AT_SYMLINK_NOFOLLOW);
        Map<String, Object> a = Files.readAttributes(f, "unix:mode,uid,gid,size,nlink,ino", LinkOption.NOFOLLOW_LINKS);
        assertThat(st.mode()).isEqualTo(a.get("mode"));
        assertThat(st.isRegular()).isTrue();
        assertThat(st.uid()).isEqualTo(a.get("uid"));
        assertThat(st.gid()).isEqualTo(a.get("gid"));
        assertThat(st.size()).isEqualTo(5L);
        assertThat(st.nlink()).isEqualTo(2);
        assertThat(st.ino()).isEqualTo(a.get("ino"));
        assertThat(st.mtimeSeconds()).isEqualTo(1_700_000_000L);
        assertThat(st.mtimeNanos()).isEqualTo(123_000_000);
        Files.createSymbolicLink(tmp.resolve("l"), Path.of("f"));
        assertThat(FileCalls.statx(FileCalls.AT_FDCWD, tmp.resolve("l").toString(), FileCalls.AT_SYMLINK_NOFOLLOW).isSymlink()).isTrue();
        assertThat(FileCalls.readlinkat(FileCalls.AT_FDCWD, tmp.resolve("l").toString())).isEqualTo("f");
    }

    @Test
    void openat2InRootKeepsDotDotAndAbsoluteLinksInside() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("abs"), tmp);
        int rootFd = FileCalls.openat(FileCalls.AT_FDCWD, root.toString(), FileCalls.O_PATH | FileCalls.O_DIRECTORY, 0);
        try {
            int up = FileCalls.openat2(rootFd, "../../..", FileCalls.O_PATH | FileCalls.O_CLOEXEC, 0, FileCalls.RESOLVE_IN_ROOT);
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + up))).isEqualTo(root);
            FileCalls.close(up);
            // abs -> tmp is taken as <root>/tmp..., which does not exist inside the root.
            assertThatThrownBy(() -> FileCalls.openat2(rootFd, "abs/root", FileCalls.O_PATH, 0, FileCalls.RESOLVE_IN_ROOT))
                    .isInstanceOf(ErrnoException.class).satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(FileCalls.ENOENT));
            assertThatThrownBy(() -> FileCalls.openat2(rootFd, "abs", FileCalls.O_PATH, 0,
                    FileCalls.RESOLVE_IN_ROOT | FileCalls.RESOLVE_NO_SYMLINKS))
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(FileCalls.ELOOP));
        } finally {
            FileCalls.close(rootFd);
        }
    }

    @Test
    void openat2NumberIsKnownPerArchitecture() {
        for (LinuxArch arch : LinuxArch.values()) {
            assertThat(FileCalls.openat2Number(arch)).isEqualTo(437);
        }
    }
}
