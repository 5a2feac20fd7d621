package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dockerfile builds through berthd's classic /build API, driven by the docker CLI and by berth. */
@Tag("privileged")
class BuildTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("build");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private static Path context(Path dir, String dockerfile) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        return dir;
    }

    @Test
    void dockerBuildRunsEveryStepAndReusesTheCache(@TempDir Path tmp) throws Exception {
        Path ctx = context(tmp.resolve("app"), """
                FROM busybox
                ARG GREETING=hello
                ENV APP_HOME=/app
                WORKDIR $APP_HOME
                COPY greet.txt .
                RUN echo "$GREETING from RUN" > run.txt && rm -f /etc/group
                CMD ["sh", "-c", "cat greet.txt run.txt; ls /etc/group 2>&1 || true"]
                """);
        Files.writeString(ctx.resolve("greet.txt"), "copied\n");
        Files.writeString(ctx.resolve(".dockerignore"), "secret.txt\n");
        Files.writeString(ctx.resolve("secret.txt"), "never sent\n");

        Cmd.Result first = daemon.docker("build", "-t", "built:1", ctx.toString()).orFail();
        assertThat(first.stdout()).contains("Step 1/7 : FROM busybox").contains("Successfully tagged built:1");
        String out = daemon.docker("run", "--rm", "built:1").orFail().out();
        assertThat(out).contains("copied").contains("hello from RUN").contains("No such file");
        assertThat(daemon.docker("history", "built:1").orFail().out()).contains("GREETING=hello /bin/sh -c echo").contains("COPY file:");

        Cmd.Result again = daemon.docker("build", "-t", "built:1", ctx.toString()).orFail();
        assertThat(again.stdout().split("Using cache", -1).length - 1).isGreaterThanOrEqualTo(5);
        String id = daemon.docker("image", "inspect", "-f", "{{.Id}}", "built:1").orFail().out();

        // a changed build arg rebuilds from the RUN that uses it
        Cmd.Result arg = daemon.docker("build", "--build-arg", "GREETING=hi", "-t", "built:2", ctx.toString()).orFail();
        assertThat(arg.stdout()).contains("Running in");
        assertThat(daemon.docker("run", "--rm", "built:2").orFail().out()).contains("hi from RUN");
        assertThat(daemon.docker("image", "inspect", "-f", "{{.Id}}", "built:2").orFail().out()).isNotEqualTo(id);
    }

    @Test
    void berthBuildGivesTheSameImageAsDockerBuild(@TempDir Path tmp) throws Exception {
        Path ctx = context(tmp.resolve("same"), """
                FROM busybox AS compile
                RUN echo compiled > /out.txt
                FROM busybox
                COPY --from=compile /out.txt /out.txt
                COPY data/ /data/
                LABEL stage=final
                """);
        Files.createDirectories(ctx.resolve("data"));
        Files.writeString(ctx.resolve("data/a.txt"), "a\n");
        // SOURCE_DATE_EPOCH: without it each build's Created is its own time, as Docker's
        String viaDocker = build("docker", ctx, "--no-cache", "--build-arg", "SOURCE_DATE_EPOCH=1700000000", "-t", "same:docker");
        String viaBerth = build("berth", ctx, "--no-cache", "--build-arg", "SOURCE_DATE_EPOCH=1700000000", "-t", "same:berth");
        assertThat(viaBerth).isEqualTo(viaDocker);
        assertThat(daemon.docker("run", "--rm", "same:berth", "cat", "/out.txt", "/data/a.txt").orFail().out()).isEqualTo("compiled\na");
    }

    private static String build(String client, Path ctx, String... flags) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("build", "-q"));
        args.addAll(java.util.List.of(flags));
        args.add(ctx.toString());
        Cmd.Result r = client.equals("docker") ? daemon.docker(args.toArray(String[]::new)) : daemon.cli(args.toArray(String[]::new));
        return r.orFail().out();
    }

    @Test
    void badDockerfilesAndEscapesAreClearErrors(@TempDir Path tmp) throws Exception {
        Path unknown = context(tmp.resolve("unknown"), "FROM busybox\nFROBNICATE now\n");
        Cmd.Result r = daemon.docker("build", unknown.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr() + r.stdout()).contains("Dockerfile:2").contains("unknown instruction");

        Files.writeString(tmp.resolve("outside.txt"), "outside\n");
        Path escape = context(tmp.resolve("escape"), "FROM busybox\nCOPY ../outside.txt /x\n");
        Cmd.Result e = daemon.docker("build", escape.toString());
        assertThat(e.exitCode()).isNotZero();
        assertThat(e.stderr() + e.stdout()).contains("not found");

        Path link = context(tmp.resolve("link"), "FROM busybox\nCOPY passwd-link /copied\nRUN cat /copied\n");
        Files.createSymbolicLink(link.resolve("passwd-link"), Path.of("/etc/shadow"));
        Cmd.Result l = daemon.docker("build", "--no-cache", link.toString());
        assertThat(l.stdout()).doesNotContain("root:");

        Path failing = context(tmp.resolve("failing"), "FROM busybox\nRUN exit 3\n");
        Cmd.Result f = daemon.docker("build", failing.toString());
        assertThat(f.exitCode()).isNotZero();
        assertThat(f.stderr() + f.stdout()).contains("returned a non-zero code: 3");
        assertThat(daemon.docker("version", "--format", "{{.Server.Version}}").orFail().out()).isNotEmpty();
    }

    @Test
    void dockerBuildRunMountsKeepTheirFilesOutOfTheImage(@TempDir Path tmp) throws Exception {
        Path fill = context(tmp.resolve("fill"), """
                FROM busybox
                RUN --mount=type=cache,target=/root/.cache,id=it-cache echo kept > /root/.cache/k && echo done > /done
                RUN --mount=type=bind,source=src,target=/src --mount=type=tmpfs,target=/scratch cp /src/in /scratch/ && cat /scratch/in > /from-bind
                """);
        Files.createDirectories(fill.resolve("src"));
        Files.writeString(fill.resolve("src/in"), "bound\n");
        daemon.docker("build", "-t", "mounts:fill", fill.toString()).orFail();
        assertThat(daemon.docker("run", "--rm", "mounts:fill", "sh", "-c", "cat /done /from-bind; ls -A /root; ls / | grep -c -e src -e scratch")
                .out()).isEqualTo("done\nbound\n0");
        Path read = context(tmp.resolve("read"), """
                FROM busybox
                RUN --mount=type=cache,target=/c,id=it-cache cat /c/k > /got
                """);
        daemon.docker("build", "-t", "mounts:read", read.toString()).orFail();
        assertThat(daemon.docker("run", "--rm", "mounts:read", "cat", "/got").orFail().out()).isEqualTo("kept");
        Path secret = context(tmp.resolve("secret"), "FROM busybox\nRUN --mount=type=secret,id=token cat /run/secrets/token\n");
        Cmd.Result refused = daemon.docker("build", secret.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr() + refused.stdout()).contains("berth does not support RUN --mount=type=secret yet");
    }

    @Test
    void cacheFromAnImageStandsInForAPrunedCache(@TempDir Path tmp) throws Exception {
        Path ctx = context(tmp.resolve("cachefrom"), "FROM busybox\nCOPY f.txt /f.txt\nRUN echo slow-step > /s.txt\n");
        Files.writeString(ctx.resolve("f.txt"), "f\n");
        String first = daemon.cli("build", "-q", "-t", "cf:1", ctx.toString()).orFail().out();
        daemon.cli("builder", "prune", "-f").orFail();
        Cmd.Result cold = daemon.cli("build", "-t", "cf:2", ctx.toString()).orFail();
        assertThat(cold.stdout()).doesNotContain("Using cache");
        daemon.cli("builder", "prune", "-f").orFail(); // the cold build filled the cache again
        Cmd.Result fromImage = daemon.cli("build", "--cache-from", "cf:1", "-t", "cf:3", ctx.toString()).orFail();
        assertThat(fromImage.stdout().split("Using cache", -1).length - 1).isEqualTo(2);
        assertThat(daemon.cli("image", "inspect", "-f", "{{.Id}}", "cf:3").orFail().out()).isEqualTo(first);
    }

    @Test
    void anImageOfOneHundredLayersBuildsAndRuns(@TempDir Path tmp) throws Exception {
        // Overlay's mount options must fit in a page: 100 absolute lowerdir paths of berth's store do not.
        StringBuilder dockerfile = new StringBuilder("FROM busybox\n");
        Path ctx = tmp.resolve("layers");
        Files.createDirectories(ctx);
        for (int i = 0; i < 100; i++) {
            Files.writeString(ctx.resolve("f" + i), i + "\n");
            dockerfile.append("COPY f").append(i).append(" /layers/\n");
        }
        dockerfile.append("RUN ls /layers | wc -l > /count\n");
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        daemon.cli("build", "-q", "-t", "many:layers", ctx.toString()).orFail();
        assertThat(daemon.cli("image", "inspect", "-f", "{{len .RootFS.Layers}}", "many:layers").orFail().out())
                .isEqualTo("102");
        assertThat(daemon.cli("run", "--rm", "many:layers", "sh", "-c", "cat /count; cat /layers/f99").orFail().out())
                .isEqualTo("100\n99");
    }
}
