package io.berth.build.exec;

import io.berth.oci.Digest;
import io.berth.oci.HistoryEntry;
import io.berth.oci.ImageConfig;
import io.berth.oci.errors.InvalidArgumentException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.berth.build.exec.BuildFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builds real images: RUN steps run in crun containers on overlayfs, layers land in a real store. */
@Tag("privileged")
class ImageBuilderTest {
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
    void multiStepBuildProducesConfigFilesAndLayers() throws Exception {
        Path ctx = tmp.resolve("ctx-multi");
        write(ctx, "Dockerfile", """
                FROM busybox
                ENV GREETING=hello
                WORKDIR /app
                COPY hello.txt .
                COPY --chown=app data/ data/
                RUN echo "$GREETING world" > /app/out.txt && ln /app/out.txt /app/hard.txt && ln -s out.txt /app/link
                USER app
                EXPOSE 8080
                LABEL a=b
                CMD ["sh"]
                """);
        write(ctx, "hello.txt", "hi\n");
        write(ctx, "data/x.txt", "x\n");
        BuildFixture.Recorded out = new BuildFixture.Recorded();
        BuildResult result = fx.build(ctx, out, Map.of(), null, null, false);

        assertThat(out.lines).contains("Step 1/10 : FROM busybox", "Successfully tagged test/image:latest",
                "Successfully built " + result.imageId().shortId());
        assertThat(out.aux).isEqualTo(result.imageId());
        ImageConfig config = fx.config(result.imageId());
        assertThat(config.config().env()).contains("GREETING=hello");
        assertThat(config.config().workingDir()).isEqualTo("/app");
        assertThat(config.config().user()).isEqualTo("app");
        assertThat(config.config().exposedPorts()).containsKey("8080/tcp");
        assertThat(config.config().labels()).containsEntry("a", "b");
        assertThat(config.config().cmd()).containsExactly("sh");
        assertThat(config.history()).extracting(HistoryEntry::createdBy)
                .contains("/bin/sh -c #(nop)  CMD [\"sh\"]", "/bin/sh -c echo \"$GREETING world\" > /app/out.txt && "
                        + "ln /app/out.txt /app/hard.txt && ln -s out.txt /app/link");
        assertThat(config.history().stream().filter(HistoryEntry::addsLayer).count())
                .isEqualTo(config.diffIds().size());

        assertThat(fx.read(result.imageId(), "app/hello.txt")).isEqualTo("hi\n");
        assertThat(fx.read(result.imageId(), "app/out.txt")).isEqualTo("hello world\n");
        Path data = fx.rootfs(result.imageId()).find("app/data/x.txt").orElseThrow();
        assertThat(Files.getAttribute(data, "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(data, "unix:gid")).isEqualTo(1000);
        assertThat(Files.readSymbolicLink(fx.rootfs(result.imageId()).find("app/link").orElseThrow()))
                .isEqualTo(Path.of("out.txt"));

        List<TarArchiveEntry> runLayer = topLayerOfRun(result.imageId());
        assertThat(runLayer).anySatisfy(e -> {
            assertThat(e.isLink()).isTrue();
            assertThat(e.getName()).isEqualTo("app/out.txt");
            assertThat(e.getLinkName()).isEqualTo("app/hard.txt");
        });
        assertThat(runLayer).allSatisfy(e -> assertThat(e.getModTime().getTime()).isZero());
        assertThat(runLayer).extracting(TarArchiveEntry::getName).doesNotContain("etc/", "etc/hosts", "proc/");
        assertThat(fx.containers.list()).isEmpty();
    }

    /** The RUN layer is the last layer of this image (the steps after it only change the config). */
    private List<TarArchiveEntry> topLayerOfRun(Digest id) throws Exception {
        return fx.topLayer(id);
    }

    @Test
    void rebuildReusesCacheAndAChangedFileRebuildsFromItsCopy() throws Exception {
        Path ctx = tmp.resolve("ctx-cache");
        write(ctx, "Dockerfile", """
                FROM busybox
                COPY a.txt /a.txt
                RUN cat /a.txt > /copy-a
                COPY b.txt /b.txt
                RUN cat /b.txt > /copy-b
                ENV DONE=1
                """);
        write(ctx, "a.txt", "a1\n");
        write(ctx, "b.txt", "b1\n");
        BuildFixture.Recorded first = new BuildFixture.Recorded();
        BuildResult r1 = fx.build(ctx, first, Map.of(), null, null, false);

        BuildFixture.Recorded second = new BuildFixture.Recorded();
        BuildResult r2 = fx.build(ctx, second, Map.of(), null, null, false);
        assertThat(r2.imageId()).isEqualTo(r1.imageId());
        assertThat(second.cachedSteps()).containsExactly(false, true, true, true, true, true);
        assertThat(second.lines).noneMatch(l -> l.startsWith(" ---> Running in"));

        write(ctx, "b.txt", "b2\n");
        BuildFixture.Recorded third = new BuildFixture.Recorded();
        BuildResult r3 = fx.build(ctx, third, Map.of(), null, null, false);
        assertThat(third.cachedSteps()).containsExactly(false, true, true, false, false, false);
        assertThat(fx.read(r3.imageId(), "copy-b")).isEqualTo("b2\n");
        assertThat(fx.read(r3.imageId(), "copy-a")).isEqualTo("a1\n");

        BuildFixture.Recorded noCache = new BuildFixture.Recorded();
        fx.build(ctx, noCache, Map.of(), null, null, true);
        assertThat(noCache.cachedSteps()).containsOnly(false);
    }

    @Test
    void changingABuildArgRebuildsFromTheRunThatUsesIt() throws Exception {
        Path ctx = tmp.resolve("ctx-arg");
        write(ctx, "Dockerfile", """
                ARG BASE=busybox
                FROM ${BASE}
                RUN echo first > /first
                ARG V=1
                RUN echo "v=$V" > /v
                RUN echo after > /after
                """);
        BuildResult r1 = fx.build(ctx, new BuildFixture.Recorded(), Map.of("V", "1"), null, null, false);
        BuildFixture.Recorded out = new BuildFixture.Recorded();
        BuildResult r2 = fx.build(ctx, out, Map.of("V", "2"), null, null, false);
        assertThat(out.cachedSteps()).containsExactly(false, true, true, false, false);
        assertThat(fx.read(r2.imageId(), "v")).isEqualTo("v=2\n");
        assertThat(fx.read(r1.imageId(), "v")).isEqualTo("v=1\n");
        ImageConfig config = fx.config(r2.imageId());
        assertThat(config.config().env() == null ? List.<String>of() : config.config().env()).noneMatch(e -> e.startsWith("V="));
        assertThat(config.history()).extracting(HistoryEntry::createdBy).contains("|1 V=2 /bin/sh -c echo \"v=$V\" > /v");
    }

    @Test
    void deletionsInRunBecomeWhiteoutsAndOpaqueDirectories() throws Exception {
        Path ctx = tmp.resolve("ctx-wh");
        write(ctx, "Dockerfile", """
                FROM busybox
                RUN mkdir /data && echo 1 > /data/a && echo 2 > /data/b
                RUN rm /etc/group && rm -rf /data && mkdir /data && echo n > /data/new
                """);
        BuildResult r = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
        assertThat(fx.topLayer(r.imageId())).extracting(TarArchiveEntry::getName)
                .contains("etc/.wh.group", "data/", "data/.wh..wh..opq", "data/new");
        RootfsView view = fx.rootfs(r.imageId());
        assertThat(view.find("etc/group")).isEmpty();
        assertThat(view.find("etc/passwd")).isPresent();
        assertThat(view.list("data")).containsExactly("new");
    }

    @Test
    void multiStageBuildsOnlyWhatTheTargetNeeds() throws Exception {
        Path ctx = tmp.resolve("ctx-stages");
        write(ctx, "Dockerfile", """
                FROM busybox AS build
                RUN echo compiled > /artifact
                FROM busybox AS unused
                RUN echo never-run && exit 3
                FROM busybox AS other
                RUN echo other > /other
                FROM scratch AS final
                COPY --from=build /artifact /out/artifact
                COPY --from=other /other /out/
                """);
        BuildFixture.Recorded out = new BuildFixture.Recorded();
        BuildResult r = fx.build(ctx, out, Map.of(), null, null, false);
        assertThat(out.lines).noneMatch(l -> l.contains("never-run"));
        assertThat(out.lines).contains("Step 1/7 : FROM busybox AS build", "Step 7/7 : COPY --from=other /other /out/");
        assertThat(fx.read(r.imageId(), "out/artifact")).isEqualTo("compiled\n");
        assertThat(fx.read(r.imageId(), "out/other")).isEqualTo("other\n");
        assertThat(fx.config(r.imageId()).diffIds()).hasSize(2);

        BuildResult build = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), "build", null, false);
        assertThat(fx.read(build.imageId(), "artifact")).isEqualTo("compiled\n");
        assertThat(fx.rootfs(build.imageId()).find("bin/busybox")).isPresent();

        assertThatThrownBy(() -> fx.build(ctx, new BuildFixture.Recorded(), Map.of(), "nope", null, false))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("nope");
    }

    @Test
    void failingRunGivesDockersErrorAndLeavesNoContainer() {
        Path ctx = tmp.resolve("ctx-fail");
        try {
            write(ctx, "Dockerfile", "FROM busybox\nRUN echo about to fail && exit 7\n");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        BuildFixture.Recorded out = new BuildFixture.Recorded();
        assertThatThrownBy(() -> fx.build(ctx, out, Map.of(), null, null, false))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("The command '/bin/sh -c echo about to fail && exit 7' returned a non-zero code: 7");
        assertThat(out.lines).contains("about to fail");
        assertThat(fx.containers.list()).isEmpty();
    }

    @Test
    void runFlagsBerthDoesNotApplyFailTheBuildInsteadOfBeingSkipped() throws Exception {
        Path ctx = tmp.resolve("ctx-runflags");
        for (String[] c : new String[][] {
                {"RUN --mount=type=secret,id=token true", "berth does not support RUN --mount=type=secret yet"},
                {"RUN --network=host true", "berth does not support RUN --network=host yet"},
                {"RUN --security=insecure true", "berth does not support RUN --security=insecure yet"}}) {
            write(ctx, "Dockerfile", "FROM busybox\n" + c[0] + "\n");
            assertThatThrownBy(() -> fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageEndingWith(c[1]);
        }
        write(ctx, "Dockerfile", "FROM busybox\nRUN --network=none --security=sandbox true\n");
        fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
    }

    @Test
    void anUnknownStopSignalFailsTheBuild() throws Exception {
        Path ctx = tmp.resolve("ctx-stopsignal");
        write(ctx, "Dockerfile", "FROM busybox\nARG SIG=SIGNOPE\nSTOPSIGNAL $SIG\n");
        assertThatThrownBy(() -> fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false))
                .isInstanceOf(InvalidArgumentException.class).hasMessageEndingWith("Invalid signal: SIGNOPE");
        write(ctx, "Dockerfile", "FROM busybox\nSTOPSIGNAL 0\n");
        assertThatThrownBy(() -> fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false))
                .hasMessageEndingWith("Invalid signal: 0");
        write(ctx, "Dockerfile", "FROM busybox\nSTOPSIGNAL SIGQUIT\n");
        BuildResult ok = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
        assertThat(fx.store.images().get(ok.imageId()).orElseThrow().config().config().stopSignal()).isEqualTo("SIGQUIT");
    }

    @Test
    void missingBaseImageIsAClearError() throws Exception {
        Path ctx = tmp.resolve("ctx-missing");
        write(ctx, "Dockerfile", "FROM nosuch/image:1\nRUN true\n");
        assertThatThrownBy(() -> fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false))
                .hasMessageContaining("nosuch/image:1").hasMessageContaining("not found");
    }

    @Test
    void separateDataRootsGiveTheSameDigest() throws Exception {
        Path ctx = tmp.resolve("ctx-repro");
        write(ctx, "Dockerfile", """
                FROM busybox
                COPY src/ /src/
                RUN mkdir -p /out && cat /src/a /src/b > /out/ab && chmod 600 /out/ab
                ENV X=1
                """);
        write(ctx, "src/a", "A\n");
        write(ctx, "src/b", "B\n");
        BuildResult here = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, 1_700_000_000L, true);
        try (BuildFixture other = new BuildFixture(tmp.resolve("root2"))) {
            // The same base image in both roots (an import stamps the current time, so copy it over).
            java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
            fx.store.saver().save(List.of("busybox:latest"), saved);
            other.store.loader().load(new java.io.ByteArrayInputStream(saved.toByteArray()));
            assertThat(other.store.images().resolve("busybox:latest").id())
                    .isEqualTo(fx.store.images().resolve("busybox:latest").id());
            BuildResult there = other.build(ctx, new BuildFixture.Recorded(), Map.of(), null, 1_700_000_000L, false);
            assertThat(there.imageId()).isEqualTo(here.imageId());
            assertThat(other.config(there.imageId()).created()).isEqualTo("2023-11-14T22:13:20Z");
        }
    }

    @Test
    void addExtractsArchivesAndHeredocsAndChmodWork() throws Exception {
        Path ctx = tmp.resolve("ctx-add");
        write(ctx, "Dockerfile", """
                FROM busybox
                ADD bundle.tar.gz /opt/
                COPY --chmod=700 tool.sh /usr/local/bin/tool
                COPY <<EOF /etc/motd
                welcome
                EOF
                RUN <<EOF
                echo line1 > /from-heredoc
                echo line2 >> /from-heredoc
                EOF
                """);
        write(ctx, "tool.sh", "#!/bin/sh\necho tool\n");
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(gz))) {
            byte[] data = "inside\n".getBytes();
            TarArchiveEntry e = new TarArchiveEntry("pkg/readme");
            e.setSize(data.length);
            e.setMode(0640);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        Files.write(ctx.resolve("bundle.tar.gz"), gz.toByteArray());
        BuildResult r = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
        assertThat(fx.read(r.imageId(), "opt/pkg/readme")).isEqualTo("inside\n");
        assertThat(fx.read(r.imageId(), "etc/motd")).isEqualTo("welcome\n");
        assertThat(fx.read(r.imageId(), "from-heredoc")).isEqualTo("line1\nline2\n");
        Path tool = fx.rootfs(r.imageId()).find("usr/local/bin/tool").orElseThrow();
        assertThat((Integer) Files.getAttribute(tool, "unix:mode") & 07777).isEqualTo(0700);
    }

    @Test
    void addOfAHostileArchiveIsRefusedAndHardlinksAreKept() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("add-outside"));
        Path ctx = tmp.resolve("ctx-add-evil");
        write(ctx, "Dockerfile", "FROM busybox\nADD evil.tar /opt/\n");
        Files.write(ctx.resolve("evil.tar"), tar(t -> {
            TarArchiveEntry link = new TarArchiveEntry("link", org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            link.setLinkName(outside.toString());
            t.putArchiveEntry(link);
            t.closeArchiveEntry();
            TarArchiveEntry evil = new TarArchiveEntry("link/evil");
            evil.setSize(1);
            t.putArchiveEntry(evil);
            t.write('x');
            t.closeArchiveEntry();
        }));
        assertThatThrownBy(() -> fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false))
                .hasMessageContaining("writes through symlink");
        assertThat(outside.resolve("evil")).doesNotExist();

        write(ctx, "Dockerfile", "FROM busybox\nADD linked.tar /opt/\n");
        Files.write(ctx.resolve("linked.tar"), tar(t -> {
            TarArchiveEntry file = new TarArchiveEntry("a");
            file.setSize(2);
            t.putArchiveEntry(file);
            t.write("hi".getBytes());
            t.closeArchiveEntry();
            TarArchiveEntry hard = new TarArchiveEntry("b", org.apache.commons.compress.archivers.tar.TarConstants.LF_LINK);
            hard.setLinkName("a");
            t.putArchiveEntry(hard);
            t.closeArchiveEntry();
        }));
        BuildResult r = fx.build(ctx, new BuildFixture.Recorded(), Map.of(), null, null, false);
        Path a = fx.rootfs(r.imageId()).find("opt/a").orElseThrow();
        Path b = fx.rootfs(r.imageId()).find("opt/b").orElseThrow();
        assertThat(Files.readString(b)).isEqualTo("hi");
        assertThat(Files.getAttribute(b, "unix:ino")).isEqualTo(Files.getAttribute(a, "unix:ino"));
    }

    private interface TarBody {
        void write(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream t) throws Exception;
    }

    private static byte[] tar(TarBody body) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var t = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out)) {
            body.write(t);
        }
        return out.toByteArray();
    }
}
