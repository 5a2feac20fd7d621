package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --volumes-from}, from the unmodified docker CLI and the berth CLI, on real containers. */
@Tag("privileged")
class VolumesFromTest {
    static BerthdProcess daemon;

    @TempDir
    Path tmp;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("volumes-from");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void aSecondContainerSeesTheFirstsVolumesAndBindsReadWriteOrReadOnly() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(host.resolve("h"), "from host\n");
        String a = daemon.docker("create", "--name", "vf-a", "-v", "vfdata:/data", "-v", "/anon", "-v", host + ":/host:ro",
                "busybox", "sh", "-c", "echo hi > /data/f; echo an > /anon/g").orFail().out();
        daemon.docker("start", "-a", a).orFail();
        String anon = daemon.docker("inspect", "-f", "{{range .Mounts}}{{if eq .Destination \"/anon\"}}{{.Name}}{{end}}{{end}}", a)
                .orFail().out();

        // read-write by default, each mount keeping its own mode: the ro bind stays read-only
        String b = daemon.docker("create", "--volumes-from", "vf-a", "busybox", "sh", "-c",
                "cat /data/f /anon/g /host/h; echo more >> /data/f; touch /host/x").orFail().out();
        Cmd.Result read = daemon.docker("start", "-a", b);
        assertThat(read.stdout()).isEqualTo("hi\nan\nfrom host\n");
        assertThat(read.stderr()).contains("Read-only file system");
        assertThat(Files.readString(daemon.dataRoot.resolve("volumes/vfdata/_data/f"))).isEqualTo("hi\nmore\n");
        assertThat(Files.exists(host.resolve("x"))).isFalse();
        assertThat(daemon.docker("inspect", "-f", "{{range .Mounts}}{{.Destination}}={{.RW}} {{end}}", b).orFail().out().split(" "))
                .containsExactlyInAnyOrder("/data=true", "/host=false", "/anon=true");
        assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.VolumesFrom}}", b).orFail().out()).isEqualTo("[\"vf-a\"]");
        assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.VolumesFrom}}", a).orFail().out()).isEqualTo("null");

        // :ro makes every one read-only (EROFS inside), through the berth CLI
        Cmd.Result ro = daemon.cli("run", "--rm", "--volumes-from", a + ":ro", "busybox", "sh", "-c", "cat /data/f; touch /data/z");
        assertThat(ro.exitCode()).isNotZero();
        assertThat(ro.stdout()).isEqualTo("hi\nmore\n");
        assertThat(ro.stderr()).contains("Read-only file system");
        assertThat(Files.exists(daemon.dataRoot.resolve("volumes/vfdata/_data/z"))).isFalse();

        // b is a user of the volumes: once a is gone, removing them is still a 409 naming b
        daemon.docker("rm", a).orFail();
        Cmd.Result rm = daemon.curl("-X", "DELETE", "http://berthd/volumes/vfdata");
        assertThat(rm.stdout()).endsWith("409").contains("volume is in use").contains(b);
        // rm -v of the last user removes the shared anonymous volume, as Docker's does; the named one stays
        daemon.docker("rm", "-v", b).orFail();
        assertThat(Files.exists(daemon.dataRoot.resolve("volumes/" + anon))).isFalse();
        assertThat(daemon.docker("volume", "rm", "vfdata").orFail().out()).isEqualTo("vfdata");
    }

    @Test
    void anUnknownContainerIsDockersNotFoundAndLeavesNoVolume() throws Exception {
        String before = daemon.docker("volume", "ls", "-q").orFail().out();
        // a 404, as Docker's (on which the docker CLI, taking it for a missing image, pulls and retries)
        Cmd.Result status = daemon.curl("-X", "POST", "-H", "Content-Type: application/json",
                "-d", "{\"Image\":\"busybox\",\"Volumes\":{\"/anon\":{}},\"HostConfig\":{\"VolumesFrom\":[\"ghost\"]}}",
                "http://berthd/containers/create");
        assertThat(status.stdout()).endsWith("404").contains("No such container: ghost");
        Cmd.Result mode = daemon.cli("create", "--volumes-from", "ghost:rshared", "busybox", "true");
        assertThat(mode.exitCode()).isNotZero();
        assertThat(mode.stderr()).contains("invalid mode: rshared");
        assertThat(daemon.docker("volume", "ls", "-q").orFail().out()).isEqualTo(before);
    }
}
