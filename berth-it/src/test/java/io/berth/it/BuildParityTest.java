package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same Dockerfiles built with `docker build` through berthd and with `berth build` give the same image
 * (both without cache, so each build really runs; SOURCE_DATE_EPOCH pins Created, which is otherwise each
 * build's own time). The contexts live in src/test/resources/parity.
 */
@Tag("privileged")
class BuildParityTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("parity");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @ParameterizedTest
    @ValueSource(strings = {"args", "heredocs", "metadata", "copies", "shell-onbuild", "multistage", "ignore"})
    void dockerBuildAndBerthBuildGiveTheSameImage(String name) throws Exception {
        Path context = Path.of("src/test/resources/parity", name).toAbsolutePath();
        List<String> args = new ArrayList<>(List.of("build", "-q", "--no-cache", "--build-arg", "VERSION=2.0",
                "--build-arg", "SOURCE_DATE_EPOCH=1700000000"));
        args.add(context.toString());
        String viaDocker = daemon.docker(args.toArray(String[]::new)).orFail().out();
        String viaBerth = daemon.cli(args.toArray(String[]::new)).orFail().out();
        assertThat(viaDocker).startsWith("sha256:");
        assertThat(viaBerth).isEqualTo(viaDocker);
    }

    @org.junit.jupiter.api.Test
    void theBuiltImagesHoldWhatTheDockerfilesSay() throws Exception {
        Path parity = Path.of("src/test/resources/parity").toAbsolutePath();
        daemon.cli("build", "-q", "-t", "p-args", "--build-arg", "VERSION=2.0", parity.resolve("args").toString()).orFail();
        assertThat(daemon.cli("run", "--rm", "p-args", "sh", "-c", "cat /args.txt; echo $VERSION_ENV $EMPTY $ALT").orFail().out())
                .isEqualTo("base=busybox version=2.0\n2.0 fallback set");
        daemon.cli("build", "-q", "-t", "p-heredocs", parity.resolve("heredocs").toString()).orFail();
        assertThat(daemon.cli("run", "--rm", "p-heredocs", "cat", "/hd/one.txt", "/hd/copied.txt", "/hd/quoted.txt").orFail().out())
                .isEqualTo("first\nsecond\ncopied from a heredoc\n$NOT_EXPANDED");
        daemon.cli("build", "-q", "-t", "p-meta", parity.resolve("metadata").toString()).orFail();
        assertThat(daemon.cli("image", "inspect", "-f", "{{.Config.User}} {{.Config.WorkingDir}} {{.Config.StopSignal}} {{json .Config.Entrypoint}}",
                "p-meta").orFail().out()).isEqualTo("1000:1000 /srv/app/sub SIGINT [\"sh\",\"-c\"]");
        daemon.cli("build", "-q", "-t", "p-copies", parity.resolve("copies").toString()).orFail();
        assertThat(daemon.cli("run", "--rm", "p-copies", "sh", "-c",
                "ls /dest; cat /dest/dir/nested/n.txt /unpacked/inside.txt; ls /docs; stat -c '%u:%g %a' /owned.txt").orFail().out())
                .isEqualTo("a.txt\ndir\nn\ninside\nOTHER.md\nREADME.md\n1000:1000 640");
        daemon.cli("build", "-q", "-t", "p-ignore", parity.resolve("ignore").toString()).orFail();
        String listing = daemon.cli("run", "--rm", "p-ignore", "cat", "/ctx-listing.txt").orFail().out();
        assertThat(listing).contains("/ctx/keep.log", "/ctx/src/main.c").doesNotContain("a.log", "secret", "/tmp/t");
    }
}
