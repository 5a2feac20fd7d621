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
        Cmd.Result nfs = daemon.docker("volume", "create", "-o", "type=nfs", "-o", "device=:/srv", "-o", "o=addr=10.0.0.1", "nvol");
        assertThat(nfs.exitCode()).isNotZero();
        assertThat(nfs.stderr()).contains("berth does not support volume options device=:/srv,o=addr=10.0.0.1,type=nfs yet");
    }

    /**
     * {@code type=tmpfs}: one tmpfs on the volume's _data while any running container uses it, shared by them,
     * gone with the last one's stop; kept across a kill -9 of berthd while used, unmounted by recovery when its
     * users ended while berthd was down.
     */
    @Test
    void aTmpfsVolumeIsSharedWhileUsedAndEmptiedByTheLastStop() throws Exception {
        daemon.docker("volume", "create", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "--opt", "o=size=64m,mode=1777,uid=1000,gid=1000",
                "tvol").orFail();
        Path data = daemon.dataRoot.resolve("volumes/tvol/_data");
        assertThat(mounted(data)).isFalse();
        Cmd.Result refused = daemon.docker("volume", "create", "--opt", "type=tmpfs", "--opt", "o=size=1m,exec", "xvol");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("berth does not support tmpfs volume option \"exec\"");

        daemon.docker("run", "-d", "--name", "t1", "-v", "tvol:/data", "busybox", "sh", "-c", "echo one > /data/f; sleep 1000").orFail();
        daemon.docker("run", "-d", "--name", "t2", "-v", "tvol:/data", "busybox", "sleep", "1000").orFail();
        assertThat(mounted(data)).isTrue();
        assertThat(waitForFile("t2")).isEqualTo("one");
        // the size, mode and owner reach the kernel; the size is enforced
        assertThat(daemon.docker("exec", "t2", "df", "-k", "/data").orFail().out()).containsPattern("(?m)^tmpfs\\s+65536\\s");
        assertThat(daemon.docker("exec", "t2", "stat", "-c", "%a %u %g", "/data").orFail().out()).isEqualTo("1777 1000 1000");
        Cmd.Result full = daemon.docker("exec", "t2", "dd", "if=/dev/zero", "of=/data/big", "bs=1M", "count=80");
        assertThat(full.exitCode()).isNotZero();
        assertThat(full.stderr()).contains("No space left on device");
        daemon.docker("exec", "t2", "rm", "/data/big").orFail();

        // kill -9 of berthd while both run: the mount and its data stay
        daemon.killHard();
        daemon.start();
        assertThat(mounted(data)).isTrue();
        assertThat(daemon.docker("exec", "t2", "cat", "/data/f").orFail().out()).isEqualTo("one");

        // one user stops: the other still has it
        daemon.docker("stop", "-t", "0", "t1").orFail();
        assertThat(mounted(data)).isTrue();
        assertThat(daemon.docker("exec", "t2", "cat", "/data/f").orFail().out()).isEqualTo("one");
        // the last user stops: unmounted, and nothing was ever written to the disk under it
        daemon.docker("stop", "-t", "0", "t2").orFail();
        assertThat(mounted(data)).isFalse();
        try (var list = Files.list(data)) {
            assertThat(list).isEmpty();
        }
        Cmd.Result cp = daemon.docker("cp", "t2:/data/f", tmp.toString());
        assertThat(cp.exitCode()).isNotZero();
        assertThat(cp.stderr()).contains("tmpfs volume tvol (/data) while no running container mounts it");
        daemon.docker("start", "t2").orFail();
        assertThat(daemon.docker("exec", "t2", "ls", "-A", "/data").orFail().out()).isEmpty();

        // its only user ends while berthd is down: the next berthd's recovery unmounts it
        daemon.docker("exec", "t2", "sh", "-c", "echo two > /data/g").orFail();
        String pid = daemon.docker("inspect", "-f", "{{.State.Pid}}", "t2").orFail().out();
        daemon.killHard();
        new ProcessBuilder("kill", "-9", pid).start().waitFor();
        Thread.sleep(500);
        daemon.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (mounted(data) && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(mounted(data)).isFalse();
        try (var list = Files.list(data)) {
            assertThat(list).isEmpty();
        }
        daemon.docker("rm", "-f", "t1", "t2").orFail();
        daemon.docker("volume", "rm", "tvol").orFail();
    }

    private String waitForFile(String container) throws Exception {
        for (int i = 0; i < 50; i++) {
            Cmd.Result r = daemon.docker("exec", container, "cat", "/data/f");
            if (r.exitCode() == 0) return r.out();
            Thread.sleep(100);
        }
        return daemon.docker("exec", container, "cat", "/data/f").out();
    }

    private static boolean mounted(Path dir) throws Exception {
        String target = dir.toAbsolutePath().normalize().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.split(" ")[4].equals(target));
    }
}
