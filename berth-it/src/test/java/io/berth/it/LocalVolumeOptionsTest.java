package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local driver's {@code type=none,o=bind,device=..} option, from the unmodified docker CLI, on real containers. */
@Tag("privileged")
class LocalVolumeOptionsTest {
    static BerthdProcess daemon;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("volume-options");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void aBindDeviceVolumeIsTheHostDirectoryInEveryContainerAndOutlivesTheVolume() throws Exception {
        Path device = Files.createDirectories(tmp.resolve("device"));
        Files.writeString(device.resolve("seed"), "seed\n");
        daemon.docker("volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device=" + device, "bvol").orFail();
        assertThat(daemon.docker("volume", "inspect", "-f", "{{json .Options}}", "bvol").orFail().out())
                .isEqualTo("{\"device\":\"" + device + "\",\"o\":\"bind\",\"type\":\"none\"}");
        assertThat(daemon.docker("run", "--rm", "-v", "bvol:/data", "busybox", "sh", "-c", "cat /data/seed; echo w > /data/w")
                .orFail().out()).isEqualTo("seed");
        assertThat(device.resolve("w")).hasContent("w\n");
        // read-only is really read-only
        Cmd.Result ro = daemon.docker("run", "--rm", "--mount", "type=volume,source=bvol,target=/data,readonly", "busybox", "touch", "/data/x");
        assertThat(ro.exitCode()).isNotZero();
        assertThat(ro.stderr()).contains("Read-only file system");
        // no copy-up into a user's host directory (berth's copy-up renames a staged sibling over the volume's
        // directory, which must never replace a host directory): an empty device over busybox's /etc stays empty
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Object inode = Files.getAttribute(empty, "unix:ino");
        daemon.docker("volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device=" + empty, "evol").orFail();
        assertThat(daemon.docker("run", "--rm", "-v", "evol:/etc", "busybox", "ls", "-A", "/etc").orFail().out()).isEmpty();
        assertThat(Files.getAttribute(empty, "unix:ino")).isEqualTo(inode);
        try (var list = Files.list(tmp)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("device", "empty");
        }
        try (var list = Files.list(empty)) {
            assertThat(list).isEmpty();
        }
        daemon.docker("volume", "rm", "evol", "bvol").orFail();
        assertThat(device.resolve("seed")).hasContent("seed\n");

        // a missing device fails the container's create, naming it; tmpfs stays refused by name
        daemon.docker("volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device=" + tmp.resolve("gone"), "gvol").orFail();
        Cmd.Result gone = daemon.docker("create", "-v", "gvol:/data", "busybox", "true");
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.stderr()).contains("failed to mount local volume: mount " + tmp.resolve("gone"));
        daemon.docker("volume", "rm", "gvol").orFail();
        Cmd.Result tmpfs = daemon.docker("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1m", "tvol");
        assertThat(tmpfs.exitCode()).isNotZero();
        assertThat(tmpfs.stderr()).contains("berth does not support volume options device=tmpfs,o=size=1m,type=tmpfs yet");
    }
}
