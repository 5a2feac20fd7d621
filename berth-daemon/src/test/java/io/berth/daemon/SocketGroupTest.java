package io.berth.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket's group, on a plain file standing in for it (changing a group needs root, or membership). */
class SocketGroupTest {
    @TempDir
    Path dir;

    private static String groupOf(Path p) throws Exception {
        return Files.readAttributes(p, PosixFileAttributes.class).group().getName();
    }

    @Test
    void anExistingGroupByNameOrGidOwnsTheSocket() throws Exception {
        Path socket = Files.createFile(dir.resolve("berth.sock"));
        String mine = groupOf(socket);
        assertThat(SocketGroup.apply(socket, mine, true)).contains(mine);
        assertThat(groupOf(socket)).isEqualTo(mine);
        int gid = (int) Files.getAttribute(socket, "unix:gid");
        assertThat(SocketGroup.apply(socket, Integer.toString(gid), true)).isPresent();
    }

    @Test
    void aMissingGroupIsAnErrorOnlyWhenAskedFor() throws Exception {
        Path socket = Files.createFile(dir.resolve("berth.sock"));
        String before = groupOf(socket);
        assertThatThrownBy(() -> SocketGroup.apply(socket, "no-such-group-x1", true)).isInstanceOf(StartRefusedException.class)
                .hasMessage("group no-such-group-x1 for the socket " + socket + " does not exist");
        assertThat(SocketGroup.apply(socket, "no-such-group-x1", false)).isEmpty();
        assertThat(SocketGroup.apply(socket, "", true)).isEmpty();
        assertThat(groupOf(socket)).isEqualTo(before);
    }
}
