package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.linux.LinuxArch;

/**
 * The docker CLI against berthd where its output or its requests are the point: version and info as it prints
 * them, cp of the files berthd binds into /etc, builds whose Dockerfile is outside the context (the CLI's tar then
 * ends without the end blocks), sizes in ps -s and a bad archive given to load.
 */
@Tag("privileged")
class DockerCliEngineFactsTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("engine-facts");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void versionAndInfoPrintTheRealArchitectureAndAnInactiveSwarm() throws Exception {
        String version = daemon.docker("version").orFail().out();
        String server = version.substring(version.indexOf("Server:"));
        assertThat(server).contains("OS/Arch:          linux/" + LinuxArch.current().goName()).contains("conmon:");
        assertThat(daemon.docker("info", "--format", "{{.Swarm.LocalNodeState}}|{{.OSType}}|{{.Architecture}}|{{.DefaultRuntime}}")
                .orFail().out()).isEqualTo("inactive|linux|" + LinuxArch.current().machine() + "|crun");
        String id = daemon.docker("info", "--format", "{{.ID}}").orFail().out();
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(Files.readString(daemon.dataRoot.resolve("engine-id")).trim()).isEqualTo(id);
    }

    @Test
    void cpCopiesTheBoundEtcFilesWithTheirContentModeAndOwner(@TempDir Path out) throws Exception {
        daemon.docker("run", "-d", "--name", "cp-etc", "--hostname", "cphost", "--add-host", "extra.example:10.1.2.3",
                "busybox", "sleep", "600").orFail();
        try {
            for (String name : List.of("hostname", "hosts", "resolv.conf")) {
                Path target = out.resolve(name);
                daemon.docker("cp", "cp-etc:/etc/" + name, target.toString()).orFail();
                String inside = daemon.docker("exec", "cp-etc", "cat", "/etc/" + name).orFail().stdout();
                assertThat(Files.readString(target)).as(name).isEqualTo(inside).isNotEmpty();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).as(name).isEqualTo("rw-r--r--");
                assertThat(Files.getAttribute(target, "unix:uid")).isEqualTo(0);
            }
            assertThat(Files.readString(out.resolve("hostname"))).isEqualTo("cphost\n");
            assertThat(Files.readString(out.resolve("hosts"))).contains("10.1.2.3\textra.example");
        } finally {
            daemon.docker("rm", "-f", "cp-etc").orFail();
        }
    }

    @Test
    void aDockerfileOutsideTheContextOrOnStdinBuilds(@TempDir Path dir) throws Exception {
        Path context = Files.createDirectories(dir.resolve("context"));
        Files.writeString(context.resolve("data.txt"), "from the context\n");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere")).resolve("Dockerfile");
        Files.writeString(elsewhere, "FROM busybox\nCOPY data.txt /data.txt\nCMD [\"cat\", \"/data.txt\"]\n");

        daemon.docker("build", "-q", "-t", "outside:1", "-f", elsewhere.toString(), context.toString()).orFail();
        assertThat(daemon.docker("run", "--rm", "outside:1").orFail().stdout()).isEqualTo("from the context\n");

        Cmd.Result piped = Cmd.run(List.of("/usr/local/bin/docker", "build", "-q", "-t", "outside:2", "-f-", context.toString()),
                Map.of("DOCKER_HOST", daemon.host()), Files.readAllBytes(elsewhere), Duration.ofMinutes(2)).orFail();
        assertThat(piped.stdout()).contains("sha256:");
        assertThat(daemon.docker("run", "--rm", "outside:2").orFail().stdout()).isEqualTo("from the context\n");
        daemon.docker("rmi", "outside:1", "outside:2").orFail();
    }

    @Test
    void aRepeatedDockerfileParameterTakesTheFirst(@TempDir Path dir) throws Exception {
        Path tar = dir.resolve("ctx.tar");
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("First"), "FROM busybox\nLABEL which=first\n");
        Files.writeString(ctx.resolve("Second"), "FROM busybox\nLABEL which=second\n");
        Cmd.run(List.of("tar", "-C", ctx.toString(), "-cf", tar.toString(), "First", "Second"), Map.of(), null,
                Duration.ofSeconds(30)).orFail();
        Cmd.Result r = daemon.curl("-X", "POST", "-H", "Content-Type: application/x-tar", "--data-binary", "@" + tar,
                "http://berthd/build?dockerfile=First&dockerfile=Second&t=repeated:1");
        assertThat(r.stdout()).endsWith("200");
        assertThat(daemon.docker("image", "inspect", "-f", "{{.Config.Labels.which}}", "repeated:1").orFail().out()).isEqualTo("first");
        daemon.docker("rmi", "repeated:1").orFail();

        Cmd.Result missing = daemon.curl("-X", "POST", "-H", "Content-Type: application/x-tar", "--data-binary", "@" + tar,
                "http://berthd/build?dockerfile=Third");
        assertThat(missing.stdout()).endsWith("500").contains("Cannot locate specified Dockerfile: Third");
    }

    @Test
    void psShowsTheWritableLayersSize() throws Exception {
        daemon.docker("run", "--name", "sized", "busybox", "sh", "-c", "head -c 300000 /dev/zero > /blob").orFail();
        String size = daemon.docker("ps", "-a", "-s", "--filter", "name=sized", "--format", "{{.Size}}").orFail().out();
        assertThat(size).matches("30\\d(\\.\\d+)?kB \\(virtual .*\\)");
        daemon.docker("rm", "sized").orFail();
    }

    /** GET /system/df?type= (API 1.42+): only the asked types, the others null. Before: every type, whatever was asked. */
    @Test
    void systemDfComputesOnlyTheTypesAskedFor() throws Exception {
        daemon.docker("volume", "create", "df-type").orFail();
        String volumes = daemon.curl("http://x/v1.43/system/df?type=volume").orFail().out();
        assertThat(volumes).endsWith("\n200").contains("\"Images\":null").contains("\"Containers\":null")
                .contains("\"BuildCache\":null").contains("\"LayersSize\":0").contains("\"Name\":\"df-type\"");
        String both = daemon.curl("http://x/v1.43/system/df?type=image&type=container").orFail().out();
        assertThat(both).contains("\"Volumes\":null").contains("\"RepoTags\":[\"busybox:latest\"]").doesNotContain("\"Containers\":null");
        assertThat(daemon.curl("http://x/v1.43/system/df?type=disks").out()).contains("unknown object type: disks").endsWith("400");
        // before API 1.42 the query did not exist: everything
        assertThat(daemon.curl("http://x/v1.41/system/df?type=volume").orFail().out()).doesNotContain("\"Images\":null");
        daemon.docker("volume", "rm", "df-type").orFail();
    }

    /** GET /images/json?shared-size=1: what each image shares with another. Before: the flag was not read (-1). */
    @Test
    void imageListComputesSharedSizeWhenAsked() throws Exception {
        daemon.docker("run", "--name", "sharer", "busybox", "touch", "/mine").orFail();
        daemon.docker("commit", "sharer", "sharer:1").orFail();
        String busyboxSize = daemon.docker("image", "inspect", "-f", "{{.Size}}", "busybox").orFail().out();
        String asked = daemon.curl("http://x/v1.43/images/json?shared-size=1&filters=%7B%22reference%22%3A%5B%22busybox%22%5D%7D").orFail().out();
        assertThat(asked).contains("\"SharedSize\":" + busyboxSize + ",").endsWith("\n200");
        String notAsked = daemon.curl("http://x/v1.43/images/json?filters=%7B%22reference%22%3A%5B%22busybox%22%5D%7D").orFail().out();
        assertThat(notAsked).contains("\"SharedSize\":-1,");
        daemon.docker("rm", "sharer").orFail();
        daemon.docker("rmi", "sharer:1").orFail();
    }

    /** ps and images --filter before=/since= (and images until=, label!=). Before: accepted and not applied. */
    @Test
    void beforeAndSinceFiltersListWhatWasCreatedBeforeOrAfter() throws Exception {
        for (String n : List.of("order-1", "order-2", "order-3")) daemon.docker("create", "--name", n, "busybox", "true").orFail();
        assertThat(daemon.docker("ps", "-a", "--filter", "before=order-2", "--filter", "name=order-", "--format", "{{.Names}}").orFail().out())
                .isEqualTo("order-1");
        assertThat(daemon.docker("ps", "-a", "--filter", "since=order-2", "--filter", "name=order-", "--format", "{{.Names}}").orFail().out())
                .isEqualTo("order-3");
        assertThat(daemon.docker("ps", "-a", "--filter", "before=no-such-container").stderr()).contains("No such container: no-such-container");

        daemon.docker("commit", "--change", "LABEL order=2", "order-2", "order:2").orFail();
        daemon.docker("commit", "--change", "LABEL order=3", "order-3", "order:3").orFail();
        assertThat(daemon.docker("images", "--filter", "since=order:2", "--format", "{{.Repository}}:{{.Tag}}").orFail().out())
                .isEqualTo("order:3");
        assertThat(daemon.docker("images", "--filter", "before=order:3", "--filter", "reference=order", "--format", "{{.Tag}}").orFail().out())
                .isEqualTo("2");
        assertThat(daemon.docker("images", "--filter", "label!=order=3", "--filter", "reference=order", "--format", "{{.Tag}}").orFail().out())
                .isEqualTo("2");
        assertThat(daemon.curl("http://x/v1.43/images/json?filters=%7B%22until%22%3A%5B%221970-01-02T00%3A00%3A00Z%22%5D%7D").orFail().out())
                .matches("\\[\\]\\s+200");
        assertThat(daemon.docker("images", "--filter", "since=no-such-image").stderr()).contains("No such image: no-such-image");
        daemon.docker("rm", "order-1", "order-2", "order-3").orFail();
        daemon.docker("rmi", "order:2", "order:3").orFail();
    }

    @Test
    void loadOfABadArchiveFailsInTheStream(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.tar");
        Files.write(bad, "not an archive at all\n".repeat(50).getBytes(StandardCharsets.UTF_8));
        Cmd.Result r = daemon.docker("load", "-i", bad.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).doesNotContain("Error response from daemon").contains("archive");
        Cmd.Result raw = daemon.curl("-X", "POST", "--data-binary", "@" + bad, "http://berthd/images/load");
        assertThat(raw.stdout()).contains("\"errorDetail\"").endsWith("200");
    }
}
