package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bind mounts and tmpfs mounts (issue 9 §2) through the real daemon, crun and the kernel, driven by the docker CLI
 * and the berth CLI: data lands on the host and outlives the container, read-only is really read-only, a
 * destination behind a symlink in the image stays inside the rootfs, tmpfs size and mode hold.
 */
@Tag("privileged")
class MountsTest {
    static BerthdProcess daemon;
    static Path host;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("mounts");
        host = daemon.root.resolve("host");
        Files.createDirectories(host);
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void aBindMountSharesHostDataBetweenContainersAndOutlivesThem() throws Exception {
        Path dir = host.resolve("shared");
        // -v creates a missing host path, as Docker does
        daemon.docker("run", "--rm", "-v", dir + ":/data", "busybox", "sh", "-c", "echo from-docker > /data/f").orFail();
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("from-docker\n");
        assertThat(daemon.cli("run", "--rm", "-v", dir + ":/data:ro", "busybox", "cat", "/data/f").orFail().out())
                .isEqualTo("from-docker");
        Files.writeString(dir.resolve("g"), "from-host\n");
        assertThat(daemon.docker("run", "--rm", "--mount", "type=bind,source=" + dir + ",target=/in", "busybox", "cat", "/in/g")
                .orFail().out()).isEqualTo("from-host");
        assertThat(daemon.cli("run", "--rm", "--mount", "type=bind,src=" + dir + "/f,dst=/etc/f", "busybox", "cat", "/etc/f")
                .orFail().out()).as("a file can be bound too").isEqualTo("from-docker");
    }

    @Test
    void aReadOnlyMountIsReallyReadOnly() throws Exception {
        Path dir = host.resolve("ro");
        Files.createDirectories(dir);
        for (Cmd.Result r : new Cmd.Result[] {
                daemon.docker("run", "--rm", "-v", dir + ":/data:ro", "busybox", "sh", "-c", "echo x > /data/f"),
                daemon.docker("run", "--rm", "--mount", "type=bind,src=" + dir + ",dst=/data,readonly", "busybox", "touch", "/data/f"),
                daemon.cli("run", "--rm", "-v", dir + ":/data:ro,z", "busybox", "mkdir", "/data/d")}) {
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("Read-only file system");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void inspectShowsTheMountsAsApplied() throws Exception {
        Path dir = host.resolve("inspected");
        String id = daemon.docker("create", "-v", dir + ":/data:ro", "--mount", "type=bind,src=" + host + ",dst=/h",
                "--tmpfs", "/run:size=1m", "busybox", "true").orFail().out();
        try {
            assertThat(daemon.docker("inspect", "-f", "{{json .Mounts}}", id).orFail().out()).isEqualTo(
                    "[{\"Type\":\"bind\",\"Source\":\"" + dir + "\",\"Destination\":\"/data\",\"Mode\":\"ro\",\"RW\":false,"
                            + "\"Propagation\":\"rprivate\"},{\"Type\":\"bind\",\"Source\":\"" + host + "\",\"Destination\":\"/h\","
                            + "\"Mode\":\"\",\"RW\":true,\"Propagation\":\"rprivate\"}]");
            assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.Binds}} {{json .HostConfig.Tmpfs}} {{len .HostConfig.Mounts}}", id)
                    .orFail().out()).isEqualTo("[\"" + dir + ":/data:ro\"] {\"/run\":\"size=1m\"} 1");
            // docker ps shows each mount's source, shortened
            assertThat(daemon.docker("ps", "-a", "--filter", "id=" + id, "--format", "{{.Mounts}}").orFail().out())
                    .matches("/var/tmp/berth.*,/var/tmp/berth.*");
        } finally {
            daemon.docker("rm", "-f", id);
        }
    }

    @Test
    void badMountsAreRefusedWithDockersMessages() throws Exception {
        Cmd.Result missing = daemon.docker("run", "--rm", "--mount", "type=bind,src=/nonexistent-berth-src,dst=/x", "busybox", "true");
        assertThat(missing.exitCode()).isEqualTo(125);
        assertThat(missing.stderr()).contains("invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-berth-src");
        assertThat(Files.exists(Path.of("/nonexistent-berth-src"))).isFalse();
        Cmd.Result relative = daemon.cli("run", "--rm", "-v", host + ":data", "busybox", "true");
        assertThat(relative.exitCode()).isEqualTo(125);
        assertThat(relative.stderr()).contains("mount path must be absolute");
        Cmd.Result mode = daemon.docker("run", "--rm", "-v", host + ":/data:nocopy", "busybox", "true");
        assertThat(mode.exitCode()).isEqualTo(125);
        assertThat(mode.stderr()).contains("invalid mode: nocopy");
        Cmd.Result badTmpfs = daemon.docker("run", "--rm", "--tmpfs", "/run:context=x", "busybox", "true");
        assertThat(badTmpfs.exitCode()).isEqualTo(125);
        assertThat(badTmpfs.stderr()).contains("invalid tmpfs option \"context=x\"");
    }

    @Test
    void aDestinationBehindASymlinkInTheImageResolvesInsideTheRootfs() throws Exception {
        // The image points /data at an absolute path and /up at a relative one that climbs above "/". crun resolves
        // mount destinations inside the rootfs (openat2 RESOLVE_IN_ROOT), so both land inside the container; the
        // host has neither path, so a resolution on the host's side would fail the start.
        String escape = "berth-escape-" + ProcessHandle.current().pid();
        Path context = daemon.root.resolve("symlink-context");
        Files.createDirectories(context);
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN mkdir -p /etc/berthdata /tmp/" + escape
                + " && ln -s /etc/berthdata /data && ln -s ../../../../../../../tmp/" + escape + " /up"
                + " && ln -s /etc/berth-dangling /dangling\n");
        daemon.cli("build", "-q", "-t", "symlinked", context.toString()).orFail();
        Path dir = host.resolve("behind-symlink");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("f"), "inside\n");
        assertThat(daemon.docker("run", "--rm", "-v", dir + ":/data", "-v", dir + ":/up", "symlinked", "sh", "-c",
                "cat /etc/berthdata/f /tmp/" + escape + "/f").orFail().out()).isEqualTo("inside\ninside");
        assertThat(Files.exists(Path.of("/etc/berthdata"))).as("nothing was made on the host's /etc").isFalse();
        assertThat(Files.exists(Path.of("/tmp", escape))).as("nothing was made on the host's /tmp").isFalse();
        // crun 1.8 does not follow a dangling symlink to create its target: the start fails, nothing is made anywhere
        Cmd.Result dangling = daemon.docker("run", "--rm", "-v", dir + ":/dangling", "symlinked", "true");
        assertThat(dangling.exitCode()).isNotZero();
        assertThat(dangling.stderr()).contains("openat2 `dangling`: No such file or directory");
        assertThat(Files.exists(Path.of("/etc/berth-dangling"))).isFalse();
    }

    @Test
    void tmpfsSizeAndModeHold() throws Exception {
        String mounts = daemon.docker("run", "--rm", "--tmpfs", "/run:size=64m,mode=1770", "busybox", "sh", "-c",
                "stat -c %a /run; grep ' /run ' /proc/mounts").orFail().out();
        assertThat(mounts).startsWith("1770\ntmpfs /run tmpfs rw,nosuid,nodev,noexec").contains("size=65536k", "mode=1770");
        Cmd.Result full = daemon.cli("run", "--rm", "--mount", "type=tmpfs,destination=/cache,tmpfs-size=1m,tmpfs-mode=700",
                "busybox", "sh", "-c", "stat -c %a /cache; dd if=/dev/zero of=/cache/f bs=1024 count=2048");
        assertThat(full.exitCode()).isNotZero();
        assertThat(full.stdout().strip()).isEqualTo("700");
        assertThat(full.stderr()).contains("No space left on device");
        Cmd.Result ro = daemon.docker("run", "--rm", "--tmpfs", "/ro:ro", "busybox", "touch", "/ro/x");
        assertThat(ro.exitCode()).isNotZero();
        assertThat(ro.stderr()).contains("Read-only file system");
        assertThat(daemon.docker("run", "--rm", "--read-only", "--tmpfs", "/tmp", "busybox", "touch", "/tmp/x").exitCode())
                .as("a tmpfs is the writable place of a read-only rootfs").isZero();
    }

    @Test
    void cpReachesBindsAndVolumesNotTheLayerUnderneath() throws Exception {
        Path dir = host.resolve("cp");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("inside"), "on the bind\n");
        Path local = host.resolve("cp-local");
        Files.writeString(local, "copied in\n");
        String id = daemon.docker("create", "-v", dir + ":/data", "-v", "cpvol:/vol", "-v", dir + ":/ro:ro", "--tmpfs", "/run",
                "busybox", "cat", "/data/x", "/vol/y").orFail().out();
        try {
            daemon.docker("cp", local.toString(), id + ":/data/x").orFail();
            assertThat(Files.readString(dir.resolve("x"))).isEqualTo("copied in\n");
            daemon.cli("cp", local.toString(), id + ":/vol/y").orFail();
            assertThat(Files.readString(daemon.dataRoot.resolve("volumes/cpvol/_data/y"))).isEqualTo("copied in\n");
            assertThat(daemon.docker("start", "-a", id).orFail().out()).isEqualTo("copied in\ncopied in");
            Path out = host.resolve("cp-out");
            Files.createDirectories(out);
            daemon.docker("cp", id + ":/data", out.toString()).orFail();
            assertThat(Files.readString(out.resolve("data/inside"))).isEqualTo("on the bind\n");
            daemon.cli("cp", id + ":/data/inside", out.resolve("one").toString()).orFail();
            assertThat(Files.readString(out.resolve("one"))).isEqualTo("on the bind\n");
            Cmd.Result ro = daemon.docker("cp", local.toString(), id + ":/ro/z");
            assertThat(ro.exitCode()).isNotZero();
            assertThat(ro.stderr()).contains("mounted volume is marked read-only");
            Cmd.Result tmpfs = daemon.docker("cp", local.toString(), id + ":/run/z");
            assertThat(tmpfs.exitCode()).isNotZero();
            assertThat(tmpfs.stderr()).contains("berth does not support copying to or from a tmpfs mount (/run) yet");
            assertThat(Files.exists(dir.resolve("z"))).isFalse();
        } finally {
            daemon.docker("rm", "-f", id);
            daemon.docker("volume", "rm", "cpvol");
        }
    }

    @Test
    void cpThroughASymlinkInTheImageReachesTheVolumeItPointsAt() throws Exception {
        Path context = host.resolve("linked");
        Files.createDirectories(context);
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN mkdir /vol && ln -s /vol /link && ln -s ../vol /etc/rel\n");
        daemon.cli("build", "-q", "-t", "linked", context.toString()).orFail();
        Path local = host.resolve("cp-linked");
        Files.writeString(local, "through the link\n");
        String id = daemon.docker("create", "-v", "linkvol:/vol", "linked", "cat", "/vol/f").orFail().out();
        try {
            daemon.docker("cp", local.toString(), id + ":/link/f").orFail();
            assertThat(Files.readString(daemon.dataRoot.resolve("volumes/linkvol/_data/f"))).isEqualTo("through the link\n");
            assertThat(daemon.docker("start", "-a", id).orFail().out()).isEqualTo("through the link");
            Path out = host.resolve("cp-linked-out");
            daemon.docker("cp", id + ":/etc/rel/f", out.toString()).orFail();
            assertThat(Files.readString(out)).isEqualTo("through the link\n");
        } finally {
            daemon.docker("rm", "-f", id);
            daemon.docker("volume", "rm", "linkvol");
        }
    }
}
