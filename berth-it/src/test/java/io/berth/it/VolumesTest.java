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
        Cmd.Result option = daemon.docker("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "tvol");
        assertThat(option.stderr()).contains("berth does not support volume option device yet");
        Cmd.Result berthOption = daemon.cli("volume", "create", "-o", "o=size=1m", "tvol");
        assertThat(berthOption.exitCode()).isNotZero();
        assertThat(berthOption.stderr()).contains("berth does not support volume option o yet");
        assertThat(daemon.docker("volume", "create", "-d", "nfs", "tvol").stderr()).contains("volume driver \"nfs\"");
        assertThat(daemon.docker("volume", "ls", "-q", "-f", "name=tvol").orFail().out()).isEmpty();

        // mounting stays refused until mounts exist
        daemon.docker("volume", "create", "mvol").orFail();
        Cmd.Result run = daemon.docker("run", "--rm", "-v", "mvol:/data", "busybox", "true");
        assertThat(run.exitCode()).isEqualTo(125);
        assertThat(run.stderr()).contains("berth does not support HostConfig.Binds yet");
        daemon.docker("volume", "rm", "mvol").orFail();
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
