package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.FakeEngine;
import io.berth.cli.Io;
import io.berth.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build and builder prune, end to end through {@link Main} against a scripted daemon. */
class BuildCommandTest {

    private static final String OK_STREAM = """
            {"stream":"Step 1/2 : FROM busybox\\n"}
            {"stream":" ---> 1234\\n"}
            {"aux":{"ID":"sha256:feed"}}
            {"stream":"Successfully built feed\\n"}
            """;

    @TempDir
    Path dir;

    Path ctx;

    record Run(int status, String out, String err) {}

    record Entry(String name, String type, int mode, String linkName, long uid, String content) {}

    @BeforeEach
    void context() throws IOException {
        ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\n");
        Files.createDirectories(ctx.resolve("b/c"));
        Files.writeString(ctx.resolve("b/c/run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(ctx.resolve("b/c/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(ctx.resolve("a.txt"), "a");
        Files.writeString(dir.resolve("secret"), "outside");
        Files.createSymbolicLink(ctx.resolve("link"), dir.resolve("secret"));
        Files.createSymbolicLink(ctx.resolve("linkdir"), dir);
    }

    private Run berth(FakeEngine engine, byte[] stdin, Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), fd -> false);
        Map<String, String> env = new LinkedHashMap<>(extraEnv);
        env.put("DOCKER_HOST", engine.address());
        env.put("DOCKER_CONFIG", dir.resolve("cfg").toString());
        int status = Main.run(args, io, env);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run berth(FakeEngine engine, String... args) {
        return berth(engine, new byte[0], Map.of(), args);
    }

    private static FakeEngine.Response stream(String jsonLines) {
        return new FakeEngine.Response(200, "application/json", jsonLines);
    }

    /** The query of a request line, decoded; repeated names keep every value in order. */
    private static Map<String, List<String>> query(FakeEngine.Request r) {
        String target = r.line().split(" ")[1];
        Map<String, List<String>> q = new LinkedHashMap<>();
        int at = target.indexOf('?');
        if (at < 0) {
            return q;
        }
        for (String pair : target.substring(at + 1).split("&")) {
            int eq = pair.indexOf('=');
            q.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static List<Entry> entries(byte[] tar) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String type = e.isSymbolicLink() ? "symlink" : e.isDirectory() ? "dir" : "file";
                String content = e.isFile() ? new String(in.readAllBytes(), StandardCharsets.UTF_8) : null;
                out.add(new Entry(e.getName(), type, e.getMode() & 07777, e.getLinkName(), e.getLongUserId(), content));
            }
        }
        return out;
    }

    private FakeEngine.Request buildRequest(FakeEngine engine) {
        return engine.requests.stream().filter(r -> r.line().startsWith("POST /v1.43/build")).findFirst().orElseThrow();
    }

    @Test
    void flagsBecomeTheQueryAndTheStreamIsPrinted() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(OK_STREAM))) {
            Run run = berth(engine, new byte[0], Map.of("FROM_ENV", "e"), "build", "-t", "app:1", "--tag", "app:latest",
                    "--build-arg", "A=1=2", "--build-arg", "FROM_ENV", "--build-arg", "UNSET", "--label", "x=y",
                    "--label", "bare", "--target", "final", "--no-cache", "--pull", "--network", "none",
                    "--cache-from", "c1", "--cache-from", "c2", ctx.toString());
            assertThat(run.err()).isEmpty();
            assertThat(run.status()).isZero();
            assertThat(run.out()).isEqualTo(String.format("Sending build context to Docker daemon %8s%n%n",
                    io.berth.cli.format.Humanize.size(buildRequest(engine).bytes().length))
                    + "Step 1/2 : FROM busybox\n ---> 1234\nSuccessfully built feed\n");
            FakeEngine.Request r = buildRequest(engine);
            assertThat(r.header("Content-Type")).isEqualTo("application/x-tar");
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            Map<String, List<String>> q = query(r);
            assertThat(q).containsEntry("t", List.of("app:1", "app:latest"))
                    .containsEntry("buildargs", List.of("{\"A\":\"1=2\",\"FROM_ENV\":\"e\",\"UNSET\":null}"))
                    .containsEntry("labels", List.of("{\"x\":\"y\",\"bare\":\"\"}"))
                    .containsEntry("target", List.of("final"))
                    .containsEntry("nocache", List.of("1"))
                    .containsEntry("pull", List.of("1"))
                    .containsEntry("networkmode", List.of("none"))
                    .containsEntry("cachefrom", List.of("[\"c1\",\"c2\"]"))
                    .containsEntry("rm", List.of("1"))
                    .containsEntry("forcerm", List.of("0"))
                    .doesNotContainKeys("q", "dockerfile");
        }
    }

    @Test
    void contextTarIsSortedRelativeAndKeepsSymlinksAsLinks() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(OK_STREAM))) {
            Run run = berth(engine, "image", "build", ctx.toString());
            assertThat(run.status()).isZero();
            List<Entry> entries = entries(buildRequest(engine).bytes());
            assertThat(entries).extracting(Entry::name)
                    .containsExactly("Dockerfile", "a.txt", "b/", "b/c/", "b/c/run.sh", "link", "linkdir");
            assertThat(entries).filteredOn(e -> e.name().equals("link")).singleElement()
                    .satisfies(e -> assertThat(e.type()).isEqualTo("symlink"))
                    .satisfies(e -> assertThat(e.linkName()).isEqualTo(dir.resolve("secret").toString()));
            assertThat(entries).filteredOn(e -> e.name().equals("linkdir")).singleElement()
                    .satisfies(e -> assertThat(e.type()).isEqualTo("symlink"));
            assertThat(entries).filteredOn(e -> e.name().equals("b/c/run.sh")).singleElement()
                    .satisfies(e -> assertThat(e.mode()).isEqualTo(0750))
                    .satisfies(e -> assertThat(e.content()).isEqualTo("#!/bin/sh\n"));
            assertThat(entries).allSatisfy(e -> assertThat(e.uid()).isZero());
            assertThat(entries).noneSatisfy(e -> assertThat(e.content()).isEqualTo("outside"));
        }
    }

    @Test
    void dockerfileInsideTheContextIsNamedRelativeToIt() throws Exception {
        Files.writeString(ctx.resolve("b/Dockerfile.dev"), "FROM scratch\n");
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(OK_STREAM))) {
            Run run = berth(engine, "build", "-f", ctx.resolve("b/Dockerfile.dev").toString(), ctx.toString());
            assertThat(run.status()).isZero();
            assertThat(query(buildRequest(engine))).containsEntry("dockerfile", List.of("b/Dockerfile.dev"));
            assertThat(entries(buildRequest(engine).bytes())).extracting(Entry::name).doesNotContain(".dockerignore");
        }
    }

    @Test
    void dockerfileOutsideTheContextIsAddedUnderAHiddenName() throws Exception {
        Path outside = dir.resolve("elsewhere/Dockerfile.out");
        Files.createDirectories(outside.getParent());
        Files.writeString(outside, "FROM alpine\n");
        Files.writeString(ctx.resolve(".dockerignore"), "*.txt");
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(OK_STREAM))) {
            Run run = berth(engine, "build", "-f", outside.toString(), ctx.toString());
            assertThat(run.status()).isZero();
            String name = query(buildRequest(engine)).get("dockerfile").getFirst();
            assertThat(name).matches("\\.berth-dockerfile-[0-9a-f]{20}");
            List<Entry> entries = entries(buildRequest(engine).bytes());
            assertThat(entries).extracting(Entry::name).isSorted().contains(name, ".dockerignore", "Dockerfile");
            assertThat(entries).filteredOn(e -> e.name().equals(name)).singleElement()
                    .satisfies(e -> assertThat(e.content()).isEqualTo("FROM alpine\n"));
            // the user's rules stay, and the added Dockerfile is hidden from COPY . as docker does
            assertThat(entries).filteredOn(e -> e.name().equals(".dockerignore")).singleElement()
                    .satisfies(e -> assertThat(e.content()).isEqualTo("*.txt\n" + name + "\n"));
        }
    }

    @Test
    void stdinTarIsSentAsIs() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            TarArchiveEntry e = new TarArchiveEntry("df/Custom");
            byte[] data = "FROM busybox\n".getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
        }
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(OK_STREAM))) {
            Run run = berth(engine, tar.toByteArray(), Map.of(), "build", "-f", "df/Custom", "-");
            assertThat(run.status()).isZero();
            assertThat(buildRequest(engine).bytes()).isEqualTo(tar.toByteArray());
            assertThat(query(buildRequest(engine))).containsEntry("dockerfile", List.of("df/Custom"));
        }
    }

    @Test
    void stdinDockerfileIsWrappedInATar() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(OK_STREAM))) {
            Run run = berth(engine, "FROM busybox\nRUN true\n".getBytes(StandardCharsets.UTF_8), Map.of(), "build", "-");
            assertThat(run.status()).isZero();
            assertThat(entries(buildRequest(engine).bytes()))
                    .containsExactly(new Entry("Dockerfile", "file", 0644, "", 0, "FROM busybox\nRUN true\n"));
            assertThat(query(buildRequest(engine))).containsEntry("dockerfile", List.of("Dockerfile"));
        }
    }

    @Test
    void quietPrintsOnlyTheIdAndIidfileGetsIt() throws Exception {
        Path iid = dir.resolve("iid");
        Files.writeString(iid, "stale");
        try (FakeEngine engine = new FakeEngine(dir, r -> stream("{\"aux\":{\"ID\":\"sha256:feed\"}}\n{\"stream\":\"sha256:feed\\n\"}\n"))) {
            Run run = berth(engine, "build", "-q", "--iidfile", iid.toString(), ctx.toString());
            assertThat(run.status()).isZero();
            assertThat(run.out()).isEqualTo("sha256:feed\n");
            assertThat(Files.readString(iid)).isEqualTo("sha256:feed");
            assertThat(query(buildRequest(engine))).containsEntry("q", List.of("1"));
        }
    }

    @Test
    void aFailedStepPrintsTheErrorAndExitsOne() throws Exception {
        Path iid = dir.resolve("iid");
        Files.writeString(iid, "stale");
        String failing = """
                {"stream":"Step 1/2 : FROM busybox\\n"}
                {"stream":"Step 2/2 : RUN false\\n"}
                {"errorDetail":{"code":1,"message":"The command '/bin/sh -c false' returned a non-zero code: 1"},"error":"The command '/bin/sh -c false' returned a non-zero code: 1"}
                """;
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(failing))) {
            Run run = berth(engine, "build", "--iidfile", iid.toString(), ctx.toString());
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.out()).endsWith("Step 1/2 : FROM busybox\nStep 2/2 : RUN false\n");
            assertThat(run.err()).isEqualTo("The command '/bin/sh -c false' returned a non-zero code: 1\n");
            assertThat(iid).doesNotExist();

            Run quiet = berth(engine, "build", "-q", ctx.toString());
            assertThat(quiet.status()).isEqualTo(1);
            assertThat(quiet.out()).isEmpty();
            assertThat(quiet.err()).isEqualTo("Step 1/2 : FROM busybox\nStep 2/2 : RUN false\n"
                    + "The command '/bin/sh -c false' returned a non-zero code: 1\n");
        }
    }

    @Test
    void progressTtyDrawsTheLiveViewAndPrintsTheResultUnderIt() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(OK_STREAM))) {
            Run run = berth(engine, "build", "--progress=tty", "-t", "app:1", ctx.toString());
            assertThat(run.status()).isZero();
            assertThat(run.out()).contains("[+] Building ", "=> [internal] load build context ", "=> [1/2] FROM busybox  ")
                    .contains(" FINISHED\n").doesNotContain("Step 1/2", "Sending build context")
                    .endsWith("\u001b[JSuccessfully built feed\n");
        }
    }

    @Test
    void progressTtyOnAFailureShowsTheFailingStepInPlainForm() throws Exception {
        String failing = """
                {"stream":"Step 1/2 : FROM busybox\\n"}
                {"stream":"Step 2/2 : RUN false\\n"}
                {"stream":"oops\\n"}
                {"error":"The command '/bin/sh -c false' returned a non-zero code: 1"}
                """;
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(failing))) {
            Run run = berth(engine, "build", "--progress", "tty", ctx.toString());
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.out()).contains("=> [2/2] RUN false  ").contains("ERROR\n")
                    .endsWith("\u001b[JStep 2/2 : RUN false\noops\n");
            assertThat(run.err()).isEqualTo("The command '/bin/sh -c false' returned a non-zero code: 1\n");
        }
    }

    @Test
    void quietWinsOverProgress() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> stream("{\"aux\":{\"ID\":\"sha256:feed\"}}\n"))) {
            Run run = berth(engine, "build", "-q", "--progress=tty", ctx.toString());
            assertThat(run.status()).isZero();
            assertThat(run.out()).isEqualTo("sha256:feed\n");
        }
    }

    @Test
    void plainIsTheClassicOutput() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(OK_STREAM))) {
            Run run = berth(engine, "build", "--progress=plain", ctx.toString());
            assertThat(run.out()).endsWith("\n\nStep 1/2 : FROM busybox\n ---> 1234\nSuccessfully built feed\n");
        }
    }

    @Test
    void anUnknownProgressModeIsRefused() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(OK_STREAM))) {
            Run run = berth(engine, "build", "--progress=fancy", ctx.toString());
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("invalid argument \"fancy\" for \"--progress\" flag: must be one of auto, plain, tty\n");
            assertThat(engine.requests).isEmpty();
        }
    }

    @Test
    void httpErrorsAreDaemonErrors() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir,
                r -> new FakeEngine.Response(400, "application/json", "{\"message\":\"network mode not supported for builds: foo\"}"))) {
            Run run = berth(engine, "build", "--network", "foo", ctx.toString());
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("Error response from daemon: network mode not supported for builds: foo\n");
        }
    }

    @Test
    void missingContextFailsBeforeSending() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> stream(OK_STREAM))) {
            Run run = berth(engine, "build", dir.resolve("nope").toString());
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).startsWith("unable to prepare context: path");
            assertThat(engine.requests).isEmpty();
        }
    }

    @Test
    void builderPruneReportsReclaimedSpace() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir,
                r -> new FakeEngine.Response(200, "application/json", "{\"CachesDeleted\":[\"c1\",\"c2\"],\"SpaceReclaimed\":2048}"))) {
            Run run = berth(engine, "builder", "prune", "-f", "-a");
            assertThat(run.status()).isZero();
            assertThat(run.out()).isEqualTo("Deleted build cache objects:\nc1\nc2\n\nTotal reclaimed space: 2.048kB\n");
            assertThat(engine.requests.getFirst().line()).isEqualTo("POST /v1.43/build/prune?all=1 HTTP/1.1");
        }
    }
}
