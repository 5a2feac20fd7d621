package io.berth.build.exec;

import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.berth.build.exec.BuildFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RUN --mount in real builds: what the command sees, and that none of it lands in the layer. */
@Tag("privileged")
class RunMountBuildTest {
    @TempDir
    static Path tmp;
    static BuildFixture fx;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new BuildFixture(tmp.resolve("root"));
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void aCacheMountOutlivesTheBuildButNotTheLayerAndNeverChangesTheCacheKey() throws Exception {
        Path first = tmp.resolve("ctx-cache-1");
        write(first, "Dockerfile", """
                FROM busybox
                RUN --mount=type=cache,target=/var/cache/app,id=shared-c echo one > /var/cache/app/f && echo ran > /ran
                RUN --mount=type=cache,target=/owned,uid=1000,gid=1000,mode=0700 stat -c '%u %g %a' /owned > /owned.txt
                """);
        BuildResult a = fx.build(first, new BuildFixture.Recorded(), Map.of(), null, null, false);
        assertThat(fx.read(a.imageId(), "ran")).isEqualTo("ran\n");
        assertThat(fx.read(a.imageId(), "owned.txt")).isEqualTo("1000 1000 700\n");
        assertThat(fx.rootfs(a.imageId()).find("var/cache/app/f")).isEmpty();
        assertThat(fx.rootfs(a.imageId()).find("var/cache")).as("the mount point the runtime made is no part of the layer").isEmpty();
        assertThat(fx.rootfs(a.imageId()).find("owned")).isEmpty();

        Path second = tmp.resolve("ctx-cache-2");
        write(second, "Dockerfile", """
                FROM busybox
                RUN --mount=type=cache,target=/c,id=shared-c (cat /c/f 2>/dev/null || true) > /got && echo two >> /c/f
                """);
        BuildResult b = fx.build(second, new BuildFixture.Recorded(), Map.of(), null, null, false);
        assertThat(fx.read(b.imageId(), "got")).isEqualTo("one\n");

        // the first build again: its steps come from the layer cache although the cache's content changed
        BuildFixture.Recorded again = new BuildFixture.Recorded();
        BuildResult a2 = fx.build(first, again, Map.of(), null, null, false);
        assertThat(a2.imageId()).isEqualTo(a.imageId());
        assertThat(again.lines.stream().filter(l -> l.contains("Using cache")).count()).isEqualTo(2);
        // a changed --mount flag is another step
        write(first, "Dockerfile", Files.readString(first.resolve("Dockerfile")).replace("id=shared-c", "id=shared-c,sharing=locked"));
        BuildFixture.Recorded changed = new BuildFixture.Recorded();
        fx.build(first, changed, Map.of(), null, null, false);
        assertThat(changed.lines).anyMatch(l -> l.startsWith(" ---> Running in"));

        // builder prune empties the caches
        assertThat(fx.builder.prune(true, null)).isNotEmpty();
        try (var left = Files.list(fx.root.resolve("cache/mounts"))) {
            assertThat(left).isEmpty();
        }
        BuildResult pruned = fx.build(second, new BuildFixture.Recorded(), Map.of(), null, null, true);
        assertThat(fx.rootfs(pruned.imageId()).find("got").map(p -> p.toFile().length())).contains(0L);
    }

    @Test
    void tmpfsAndBindMountsAreSeenByTheCommandOnly() throws Exception {
        Path ctx = tmp.resolve("ctx-bind");
        write(ctx, "Dockerfile", """
                FROM busybox AS maker
                RUN echo built > /out.txt
                FROM busybox
                RUN --mount=type=tmpfs,target=/t,size=1m df -k /t | tail -n 1 > /tdf && echo x > /t/x
                RUN --mount=type=bind,source=data,target=/src cat /src/a.txt > /a && (touch /src/w 2>/dev/null && echo rw || echo ro) > /mode
                RUN --mount=type=bind,source=data,target=/src,rw echo scribble > /src/a.txt && touch /src/new && cat /src/a.txt > /rw
                RUN --mount=type=bind,from=maker,source=/out.txt,target=/in.txt cat /in.txt > /copied
                RUN --mount=type=bind,target=/whole ls /whole/data > /listing
                """);
        write(ctx, "data/a.txt", "from context\n");
        BuildResult r = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
        assertThat(fx.read(r.imageId(), "tdf")).matches("tmpfs\\s+1024\\s.*\\n");
        assertThat(fx.read(r.imageId(), "a")).isEqualTo("from context\n");
        assertThat(fx.read(r.imageId(), "mode")).isEqualTo("ro\n");
        assertThat(fx.read(r.imageId(), "rw")).isEqualTo("scribble\n");
        assertThat(fx.read(r.imageId(), "copied")).isEqualTo("built\n");
        assertThat(fx.read(r.imageId(), "listing")).isEqualTo("a.txt\n");
        for (String gone : new String[] {"t", "src", "in.txt", "whole"}) {
            assertThat(fx.rootfs(r.imageId()).find(gone)).as(gone).isEmpty();
        }
        // rw writes are discarded: the context is as it was
        assertThat(ctx.resolve("data/a.txt")).hasContent("from context");
        assertThat(ctx.resolve("data/new")).doesNotExist();
        try (var left = Files.list(fx.root.resolve("cache/run-mounts"))) {
            assertThat(left).as("each RUN's scratch is gone").isEmpty();
        }
        // a changed file under a bound source is another step, an unchanged one is not
        write(ctx, "data/a.txt", "changed\n");
        BuildResult changed = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
        assertThat(fx.read(changed.imageId(), "a")).isEqualTo("changed\n");
    }

    @Test
    void aSourceIsResolvedInsideItsRootAndMissingOnesAndSecretsFailTheBuild() throws Exception {
        Path ctx = tmp.resolve("ctx-escape");
        Files.createDirectories(ctx);
        Files.createSymbolicLink(ctx.resolve("etc-link"), Path.of("/etc"));
        write(ctx, "Dockerfile", """
                FROM busybox AS maker
                RUN mkdir /d && ln -s /../../../etc /d/up
                FROM busybox
                RUN --mount=type=bind,from=maker,source=/d/up,target=/in ls /in > /seen
                """);
        BuildResult r = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
        // the symlink climbs to the stage's own /etc, never the host's
        assertThat(fx.read(r.imageId(), "seen")).doesNotContain("shadow").contains("passwd");
        for (String[] c : new String[][] {
                {"RUN --mount=type=bind,source=etc-link/shadow,target=/x true", "RUN --mount: source \"etc-link/shadow\" not found in the build context"},
                {"RUN --mount=type=bind,source=nope,target=/x true", "RUN --mount: source \"nope\" not found in the build context"},
                {"RUN --mount=type=ssh true", "berth does not support RUN --mount=type=ssh yet"},
                {"RUN --mount=type=cache,target=/x,foo=bar true", "berth does not support \"foo=bar\" in RUN --mount=type=cache"}}) {
            write(ctx, "Dockerfile", "FROM busybox\n" + c[0] + "\n");
            assertThatThrownBy(() -> fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageEndingWith(c[1]);
        }
    }
}
