package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The /volumes API driven by the unmodified docker CLI and by the berth CLI: the same answers, Docker's JSON,
 * Docker's layout and modes on disk, a truthful list after a kill -9, and mounting still refused.
 */
@Tag("privileged")
class VolumesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("volumes");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    /** docker ps --filter volume=: a volume's name, a bind's source or a mount's destination. Before: "invalid filter". */
    @Test
    void psFindsTheContainersThatMountAVolume(@org.junit.jupiter.api.io.TempDir Path host) throws Exception {
        daemon.docker("create", "--name", "vf-named", "-v", "vf-data:/data", "busybox", "true").orFail();
        daemon.docker("create", "--name", "vf-bind", "-v", host + ":/host", "busybox", "true").orFail();
        for (var c : java.util.Map.of("vf-data", "vf-named", "/data", "vf-named", host.toString(), "vf-bind", "/host", "vf-bind").entrySet()) {
            assertThat(daemon.docker("ps", "-a", "--filter", "volume=" + c.getKey(), "--format", "{{.Names}}").orFail().out())
                    .as(c.getKey()).isEqualTo(c.getValue());
        }
        assertThat(daemon.docker("ps", "-a", "--filter", "volume=nothing-mounts-this", "--format", "{{.Names}}").orFail().out()).isEmpty();
        daemon.docker("rm", "-v", "vf-named", "vf-bind").orFail();
        daemon.docker("volume", "rm", "vf-data").orFail();
    }

    @Test
    void dockerCliCreatesListsInspectsAndRemovesVolumesAsBerthCliSeesThem() throws Exception {
        assertThat(daemon.docker("info", "--format", "{{.Plugins.Volume}}").orFail().out()).isEqualTo("[local]");
        assertThat(daemon.docker("volume", "create", "--label", "team=db", "dvol").orFail().out()).isEqualTo("dvol");
        // the same name again answers the existing volume
        assertThat(daemon.docker("volume", "create", "dvol").orFail().out()).isEqualTo("dvol");
        String anon = daemon.docker("volume", "create").orFail().out();
        assertThat(anon).matches("[0-9a-f]{64}");

        String dockerLs = daemon.docker("volume", "ls").orFail().stdout();
        assertThat(dockerLs).startsWith("DRIVER    VOLUME NAME\n").contains("local     dvol\n").contains("local     " + anon + "\n");
        assertThat(daemon.cli("volume", "ls").orFail().stdout()).isEqualTo(dockerLs);
        assertThat(daemon.docker("volume", "ls", "-q", "--filter", "label=team=db").orFail().out()).isEqualTo("dvol");
        assertThat(daemon.cli("volume", "ls", "-q", "-f", "label=team=db").orFail().out()).isEqualTo("dvol");
        assertThat(daemon.docker("volume", "ls", "-q", "--filter", "dangling=false").orFail().out()).isEmpty();
        assertThat(daemon.docker("volume", "ls", "--format", "{{.Name}} {{.Driver}} {{.Labels}}", "-f", "name=dvo")
                .orFail().out()).isEqualTo("dvol local team=db");
        Cmd.Result badFilter = daemon.docker("volume", "ls", "-f", "bogus=1");
        assertThat(badFilter.exitCode()).isNotZero();
        assertThat(badFilter.stderr()).contains("invalid filter 'bogus'");

        String dockerInspect = daemon.docker("volume", "inspect", "dvol").orFail().stdout();
        assertThat(daemon.cli("volume", "inspect", "dvol").orFail().stdout()).isEqualTo(dockerInspect);
        JsonNode v = JSON.readTree(dockerInspect).get(0);
        List<String> fields = new ArrayList<>();
        v.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("CreatedAt", "Driver", "Labels", "Mountpoint", "Name", "Options", "Scope");
        assertThat(v.get("Driver").asText()).isEqualTo("local");
        assertThat(v.get("Scope").asText()).isEqualTo("local");
        assertThat(v.get("Labels").get("team").asText()).isEqualTo("db");
        assertThat(v.get("Options").isObject()).isTrue();
        assertThat(v.get("CreatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        Path mountpoint = daemon.dataRoot.resolve("volumes/dvol/_data");
        assertThat(v.get("Mountpoint").asText()).isEqualTo(mountpoint.toString());
        assertThat(daemon.docker("volume", "inspect", "-f", "{{.Mountpoint}}", "dvol").orFail().out()).isEqualTo(mountpoint.toString());
        assertThat(daemon.docker("inspect", "--type", "volume", "-f", "{{.Name}}", "dvol").orFail().out()).isEqualTo("dvol");
        JsonNode anonymous = JSON.readTree(daemon.cli("volume", "inspect", anon).orFail().stdout()).get(0);
        assertThat(anonymous.get("Labels").has("com.docker.volume.anonymous")).isTrue();

        // on disk: Docker's layout, _data 0755 root under a 0700 volumes dir in the 0710 data root
        PosixFileAttributes data = Files.readAttributes(mountpoint, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(PosixFilePermissions.toString(data.permissions())).isEqualTo("rwxr-xr-x");
        assertThat(data.owner().getName()).isEqualTo("root");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.dataRoot.resolve("volumes"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.dataRoot.resolve("volumes/dvol/volume.json"))))
                .isEqualTo("rw-------");

        // /system/df: each volume with its size and no users
        Files.writeString(mountpoint.resolve("f"), "x".repeat(2048));
        String df = daemon.docker("system", "df", "-v").orFail().stdout();
        assertThat(df).contains("Local Volumes space usage:").contains("VOLUME NAME").containsPattern("dvol\\s+0\\s+2\\.048kB");
        JsonNode dfJson = JSON.readTree(daemon.curl("http://berthd/system/df").orFail().stdout().replaceAll("\\n\\d+$", ""));
        JsonNode usage = null;
        for (JsonNode vol : dfJson.get("Volumes")) if (vol.get("Name").asText().equals("dvol")) usage = vol.get("UsageData");
        assertThat(usage).isNotNull();
        assertThat(usage.get("Size").asLong()).isEqualTo(2048);
        assertThat(usage.get("RefCount").asInt()).isZero();

        // prune: anonymous unused volumes only, then -a for the named ones
        String pruned = daemon.docker("volume", "prune", "-f").orFail().stdout();
        assertThat(pruned).isEqualTo("Deleted Volumes:\n" + anon + "\n\nTotal reclaimed space: 0B\n");
        assertThat(daemon.docker("volume", "ls", "-q").orFail().out()).isEqualTo("dvol");
        daemon.cli("volume", "create", "bvol").orFail();
        assertThat(daemon.cli("volume", "prune", "-f", "-a", "--filter", "label=team=db").orFail().stdout())
                .isEqualTo("Deleted Volumes:\ndvol\n\nTotal reclaimed space: 2.048kB\n");
        assertThat(Files.exists(daemon.dataRoot.resolve("volumes/dvol"))).isFalse();
        assertThat(daemon.docker("volume", "rm", "bvol").orFail().out()).isEqualTo("bvol");
        Cmd.Result missing = daemon.docker("volume", "rm", "bvol");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("no such volume");
        daemon.docker("volume", "rm", "-f", "bvol").orFail();
        assertThat(daemon.cli("volume", "ls", "-q").orFail().out()).isEmpty();
        try (var entries = Files.list(daemon.dataRoot.resolve("volumes"))) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void refusedInputIsNamed() throws Exception {
        Cmd.Result badName = daemon.docker("volume", "create", "a/b");
        assertThat(badName.exitCode()).isNotZero();
        assertThat(badName.stderr()).contains("create a/b: \"a/b\" includes invalid characters for a local volume name,"
                + " only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        Cmd.Result option = daemon.docker("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1m,noexec", "tvol");
        assertThat(option.stderr()).contains("berth does not support tmpfs volume option \"noexec\"");
        Cmd.Result berthOption = daemon.cli("volume", "create", "-o", "o=size=1m", "tvol");
        assertThat(berthOption.exitCode()).isNotZero();
        assertThat(berthOption.stderr()).contains("berth does not support volume options o=size=1m yet");
        assertThat(daemon.docker("volume", "create", "-d", "nfs", "tvol").stderr()).contains("volume driver \"nfs\"");
        assertThat(daemon.docker("volume", "ls", "-q", "-f", "name=tvol").orFail().out()).isEmpty();

        // a bad name in a mount is refused before anything is created
        Cmd.Result run = daemon.docker("run", "--rm", "-v", "bad@name:/data", "busybox", "true");
        assertThat(run.exitCode()).isEqualTo(125);
        assertThat(run.stderr()).contains("includes invalid characters for a local volume name");
        Cmd.Result mountOption = daemon.docker("run", "--rm", "--mount", "type=volume,target=/d,volume-opt=type=tmpfs", "busybox", "true");
        assertThat(mountOption.exitCode()).isEqualTo(125);
        assertThat(mountOption.stderr()).contains("berth does not support HostConfig.Mounts.VolumeOptions.DriverConfig yet");
        assertThat(daemon.docker("volume", "ls", "-q").orFail().out()).isEmpty();
    }

    @Test
    void twoContainersShareANamedVolumeAndTheDataOutlivesBoth() throws Exception {
        // a missing name is created, as Docker does
        String writer = daemon.docker("create", "-v", "shared:/data", "busybox", "sh", "-c", "echo hello > /data/f").orFail().out();
        daemon.docker("start", "-a", writer).orFail();
        String reader = daemon.cli("create", "--mount", "type=volume,source=shared,target=/in,readonly", "busybox",
                "sh", "-c", "cat /in/f; touch /in/g").orFail().out();
        Cmd.Result read = daemon.cli("start", "-a", reader);
        assertThat(read.stdout().strip()).isEqualTo("hello");
        assertThat(read.stderr()).contains("Read-only file system");
        assertThat(Files.readString(daemon.dataRoot.resolve("volumes/shared/_data/f"))).isEqualTo("hello\n");
        assertThat(daemon.docker("inspect", "-f", "{{json .Mounts}}", writer).orFail().out()).isEqualTo(
                "[{\"Type\":\"volume\",\"Name\":\"shared\",\"Source\":\"" + daemon.dataRoot.resolve("volumes/shared/_data")
                        + "\",\"Destination\":\"/data\",\"Driver\":\"local\",\"Mode\":\"\",\"RW\":true,\"Propagation\":\"\"}]");

        // in use by stopped containers: rm is a 409 naming one, prune keeps it, ls says it is not dangling
        Cmd.Result rm = daemon.curl("-X", "DELETE", "http://berthd/volumes/shared");
        assertThat(rm.stdout()).endsWith("409").contains("remove shared: volume is in use - [").contains(writer);
        Cmd.Result forced = daemon.docker("volume", "rm", "-f", "shared");
        assertThat(forced.exitCode()).isNotZero();
        assertThat(forced.stderr()).contains("volume is in use");
        assertThat(daemon.docker("volume", "prune", "-af").orFail().stdout()).doesNotContain("shared");
        assertThat(daemon.docker("volume", "ls", "-q", "-f", "dangling=true").orFail().out()).doesNotContain("shared");

        // rm -v leaves a named volume alone
        daemon.docker("rm", "-v", writer).orFail();
        daemon.cli("rm", reader).orFail();
        assertThat(daemon.docker("run", "--rm", "-v", "shared:/data", "busybox", "cat", "/data/f").orFail().out()).isEqualTo("hello");
        assertThat(daemon.docker("volume", "rm", "shared").orFail().out()).isEqualTo("shared");
    }

    @Test
    void anonymousVolumesGoWithRmVAndWithRunRm() throws Exception {
        String id = daemon.docker("create", "-v", "/anon", "busybox", "sh", "-c", "echo a > /anon/f").orFail().out();
        daemon.docker("start", "-a", id).orFail();
        String name = daemon.docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", id).orFail().out();
        assertThat(name).matches("[0-9a-f]{64}");
        assertThat(daemon.docker("inspect", "-f", "{{json .Config.Volumes}}", id).orFail().out()).isEqualTo("{\"/anon\":{}}");
        assertThat(daemon.docker("volume", "inspect", "-f", "{{.Labels}}", name).orFail().out()).contains("com.docker.volume.anonymous");
        assertThat(Files.readString(daemon.dataRoot.resolve("volumes/" + name + "/_data/f"))).isEqualTo("a\n");
        daemon.docker("rm", "-v", id).orFail();
        assertThat(Files.exists(daemon.dataRoot.resolve("volumes/" + name))).isFalse();

        // run --rm (AutoRemove) removes them once the container is gone; a plain rm keeps them
        String before = daemon.docker("volume", "ls", "-q").orFail().out();
        daemon.cli("run", "--rm", "-v", "/anon", "--mount", "type=volume,target=/m", "busybox", "true").orFail();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!daemon.docker("volume", "ls", "-q").orFail().out().equals(before) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(daemon.docker("volume", "ls", "-q").orFail().out()).isEqualTo(before);
        // a create refused after its volumes were made (the name is taken) leaves none behind
        daemon.docker("create", "--name", "taken", "busybox", "true").orFail();
        Cmd.Result taken = daemon.docker("create", "--name", "taken", "-v", "/anon", "busybox", "true");
        assertThat(taken.exitCode()).isNotZero();
        assertThat(taken.stderr()).contains("is already in use");
        assertThat(daemon.docker("volume", "ls", "-q").orFail().out()).isEqualTo(before);
        daemon.docker("rm", "taken").orFail();
        String kept = daemon.docker("create", "-v", "/anon", "busybox", "true").orFail().out();
        String keptName = daemon.docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", kept).orFail().out();
        daemon.docker("rm", kept).orFail();
        assertThat(daemon.docker("volume", "ls", "-q").orFail().out()).contains(keptName);
        daemon.docker("volume", "rm", keptName).orFail();
    }

    @Test
    void anImagesVolumeEntriesGetAnonymousVolumesFilledFromTheImage() throws Exception {
        Path context = daemon.root.resolve("volume-context");
        Files.createDirectories(context);
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nRUN mkdir /vol && echo seed > /vol/f\nVOLUME /vol\n");
        daemon.cli("build", "-q", "-t", "withvolume", context.toString()).orFail();
        String id = daemon.docker("create", "withvolume", "sh", "-c", "cat /vol/f; echo more >> /vol/f").orFail().out();
        String name = daemon.docker("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}}{{end}}", id).orFail().out();
        assertThat(name).matches("volume [0-9a-f]{64} /vol");
        String volume = name.split(" ")[1];
        assertThat(daemon.docker("start", "-a", id).orFail().out()).isEqualTo("seed");
        assertThat(Files.readString(daemon.dataRoot.resolve("volumes/" + volume + "/_data/f"))).isEqualTo("seed\nmore\n");
        daemon.docker("rm", "-v", id).orFail();
        assertThat(Files.exists(daemon.dataRoot.resolve("volumes/" + volume))).isFalse();
        // a bind on the same path takes the VOLUME's place: no anonymous volume then
        String before = daemon.docker("volume", "ls", "-q").orFail().out();
        Path dir = daemon.root.resolve("instead");
        assertThat(daemon.docker("run", "--rm", "-v", dir + ":/vol", "withvolume", "ls", "-A", "/vol").orFail().out()).isEmpty();
        assertThat(daemon.docker("volume", "ls", "-q").orFail().out()).isEqualTo(before);
    }

    @Test
    void aNewVolumeIsFilledFromTheImageWithOwnersAndModesUnlessNocopy() throws Exception {
        Path context = daemon.root.resolve("copyup-context");
        Files.createDirectories(context);
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\n"
                + "RUN mkdir -p /srv/app/sub && echo hi > /srv/app/f && chown 1234:5678 /srv/app/f && chmod 640 /srv/app/f"
                + " && chown 42:43 /srv/app && chmod 750 /srv/app && ln -s f /srv/app/link\n");
        daemon.cli("build", "-q", "-t", "copyup", context.toString()).orFail();
        String expected = "42:43 750\n1234:5678 640\nhi\nf";
        String script = "stat -c '%u:%g %a' /srv/app /srv/app/f; cat /srv/app/f; readlink /srv/app/link";
        assertThat(daemon.docker("run", "--rm", "-v", "cu:/srv/app", "copyup", "sh", "-c", script).orFail().out()).isEqualTo(expected);
        PosixFileAttributes data = Files.readAttributes(daemon.dataRoot.resolve("volumes/cu/_data"), PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        assertThat(PosixFilePermissions.toString(data.permissions())).isEqualTo("rwxr-x---");
        try (var entries = Files.list(daemon.dataRoot.resolve("volumes/cu"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("_data", "volume.json");
        }
        // a volume that already has data is not filled again
        daemon.docker("run", "--rm", "-v", "cu:/srv/app", "copyup", "sh", "-c", "echo mine > /srv/app/f").orFail();
        assertThat(daemon.cli("run", "--rm", "-v", "cu:/srv/app", "copyup", "cat", "/srv/app/f").orFail().out()).isEqualTo("mine");
        // anonymous volumes are filled too; nocopy leaves the volume empty
        assertThat(daemon.cli("run", "--rm", "-v", "/srv/app", "copyup", "sh", "-c", script).orFail().out()).isEqualTo(expected);
        assertThat(daemon.docker("run", "--rm", "-v", "empty:/srv/app:nocopy", "copyup", "ls", "-A", "/srv/app").orFail().out()).isEmpty();
        assertThat(daemon.docker("run", "--rm", "--mount", "type=volume,src=empty2,dst=/srv/app,volume-nocopy", "copyup",
                "ls", "-A", "/srv/app").orFail().out()).isEmpty();
        daemon.docker("volume", "rm", "cu", "empty", "empty2").orFail();
    }

    @Test
    void afterAKillNineTheListIsTruthfulAndLeftoversAreSwept() throws Exception {
        BerthdProcess first = new BerthdProcess(Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-volkill-")).start();
        BerthdProcess second = null;
        try {
            first.cli("volume", "create", "--label", "k=v", "kept").orFail();
            first.docker("volume", "create", "kept2").orFail();
            String before = first.docker("volume", "ls").orFail().stdout();
            first.killHard();
            // what a kill during a create or a removal leaves: dot entries that no volume name can take
            Path volumes = first.dataRoot.resolve("volumes");
            Files.createDirectories(volumes.resolve(".new-0123456789abcdef/_data"));
            Files.writeString(volumes.resolve(".new-0123456789abcdef/volume.json"),
                    "{\"name\":\"ghost\",\"driver\":\"local\",\"createdAt\":\"2026-01-01T00:00:00Z\"}");
            Files.createDirectories(volumes.resolve(".rm-fedcba9876543210/_data"));

            second = new BerthdProcess(first.root).start();
            assertThat(second.docker("volume", "ls").orFail().stdout()).isEqualTo(before);
            assertThat(second.cli("volume", "inspect", "-f", "{{.Labels}}", "kept").orFail().out()).isEqualTo("map[k:v]");
            try (var entries = Files.list(volumes)) {
                assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("kept", "kept2");
            }
        } finally {
            DaemonFixture.stop(second != null ? second : first);
        }
    }
}
