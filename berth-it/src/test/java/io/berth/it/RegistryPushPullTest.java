package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.berth.registry.server.RegistryConfig;
import io.berth.registry.server.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker push / docker pull through berthd against distribution 2.8 and against berth's own registry,
 * moving only what is missing.
 */
@Tag("privileged")
class RegistryPushPullTest {
    static BerthdProcess daemon;
    static DistributionRegistry registry;
    static RegistryServer berthRegistry;
    static final java.util.List<String> berthRegistryLog = new java.util.concurrent.CopyOnWriteArrayList<>();
    @TempDir
    static Path registryDir;

    @BeforeAll
    static void up() throws Exception {
        registry = DistributionRegistry.start(registryDir);
        berthRegistry = RegistryServer.start(RegistryConfig.loopback(registryDir.resolve("berth-registry"))
                .withAccessLog(e -> berthRegistryLog.add(e.toString())));
        daemon = DaemonFixture.startWithBusybox("registry");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
        if (registry != null) registry.close();
        if (berthRegistry != null) berthRegistry.close();
    }

    @Test
    void pushAndPullThroughBerthsOwnRegistry() throws Exception {
        String ref = "127.0.0.1:" + berthRegistry.port() + "/own/busybox:1";
        daemon.docker("tag", "busybox", ref).orFail();
        String id = daemon.docker("image", "inspect", "-f", "{{.Id}}", ref).orFail().out();
        daemon.docker("push", ref).orFail();
        long puts = berthRegistryLog.stream().filter(l -> l.contains("PUT") && l.contains("/blobs/uploads/")).count();
        assertThat(puts).isGreaterThanOrEqualTo(2);
        assertThat(daemon.docker("push", ref).orFail().stdout()).contains("Layer already exists");
        assertThat(berthRegistryLog.stream().filter(l -> l.contains("PUT") && l.contains("/blobs/uploads/")).count()).isEqualTo(puts);
        daemon.docker("rmi", ref).orFail();
        daemon.docker("pull", ref).orFail();
        assertThat(daemon.docker("image", "inspect", "-f", "{{.Id}}", ref).orFail().out()).isEqualTo(id);
    }

    @Test
    void dockerPushThenPullRoundTripsAndSecondPushUploadsNothing() throws Exception {
        String ref = registry.host() + "/test/busybox:1";
        daemon.docker("tag", "busybox", ref).orFail();
        String id = daemon.docker("image", "inspect", "-f", "{{.Id}}", ref).orFail().out();
        Cmd.Result push = daemon.docker("push", ref).orFail();
        assertThat(push.stdout()).contains("digest: sha256:");
        long uploads = registry.countRequests("PUT", "/blobs/uploads/");
        assertThat(uploads).isGreaterThanOrEqualTo(2); // config + layer

        Cmd.Result again = daemon.docker("push", ref).orFail();
        assertThat(again.stdout()).contains("Layer already exists");
        assertThat(registry.countRequests("PUT", "/blobs/uploads/")).isEqualTo(uploads);

        daemon.docker("rmi", ref).orFail();
        Cmd.Result pull = daemon.docker("pull", ref).orFail();
        assertThat(pull.stdout()).contains("Status:");
        assertThat(daemon.docker("image", "inspect", "-f", "{{.Id}}", ref).orFail().out()).isEqualTo(id);
        assertThat(daemon.docker("run", "--rm", ref, "echo", "pulled").orFail().out()).isEqualTo("pulled");
    }

    /**
     * Layers bigger than berthd's upload window (two 16 MiB chunks) go up compressed while they are compressed, in
     * PATCHes: one pushed by the docker CLI, one by berth's, each pulled back by the other client with the digest
     * its push announced and the image it came from.
     */
    @Test
    void bigLayersPushedByDockerAndBerthPullBackByTheOtherWithTheSameDigests(@TempDir Path work) throws Exception {
        java.util.Map<String, String> pushedDigests = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String by : java.util.List.of("docker", "berth")) {
            Path dir = java.nio.file.Files.createDirectories(work.resolve(by));
            Cmd.run(java.util.List.of("sh", "-c", "head -c 30000000 /dev/urandom > " + dir.resolve("random")
                    + " && seq 1 6000000 > " + dir.resolve("text") + " && tar -C " + dir + " -cf " + work.resolve(by + ".tar")
                    + " ."), java.util.Map.of(), null, java.time.Duration.ofSeconds(120)).orFail();
            String ref = registry.host() + "/stream/" + by + ":1";
            daemon.docker("import", work.resolve(by + ".tar").toString(), ref).orFail();
            ids.put(ref, daemon.docker("image", "inspect", "-f", "{{.Id}}", ref).orFail().out());
            long patches = registry.countRequests("PATCH", "/blobs/uploads/");
            Cmd.Result push = by.equals("docker") ? daemon.docker("push", ref).orFail() : daemon.cli("push", ref).orFail();
            java.util.regex.Matcher digest = java.util.regex.Pattern.compile("digest: (sha256:[0-9a-f]{64})")
                    .matcher(push.stdout());
            assertThat(digest.find()).as(push.stdout()).isTrue();
            pushedDigests.put(ref, digest.group(1));
            assertThat(registry.countRequests("PATCH", "/blobs/uploads/")).isGreaterThan(patches + 1);
            daemon.docker("rmi", ref).orFail();
        }
        for (var pushed : pushedDigests.entrySet()) {
            String ref = pushed.getKey();
            Cmd.Result pull = ref.contains("/stream/docker:") ? daemon.cli("pull", ref).orFail() : daemon.docker("pull", ref).orFail();
            assertThat(pull.stdout()).contains("Digest: " + pushed.getValue());
            assertThat(daemon.docker("image", "inspect", "-f", "{{.Id}}", ref).orFail().out()).isEqualTo(ids.get(ref));
            assertThat(daemon.docker("image", "inspect", "-f", "{{json .RepoDigests}}", ref).orFail().out())
                    .contains(ref.substring(0, ref.lastIndexOf(':')) + "@" + pushed.getValue());
        }
    }

    @Test
    void pullTakesTheIndexEntryOfThePlatformAskedForAndRefusesAMissingOne() throws Exception {
        String repo = "127.0.0.1:" + berthRegistry.port() + "/multi/busybox";
        daemon.docker("tag", "busybox", repo + ":single").orFail();
        daemon.docker("push", repo + ":single").orFail();
        String arch = daemon.docker("image", "inspect", "-f", "{{.Architecture}}", "busybox").orFail().out();
        // an index with the one platform busybox was made for
        var http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + berthRegistry.port() + "/v2/multi/busybox/manifests/";
        var manifest = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "single"))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
                .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(manifest.statusCode()).isEqualTo(200);
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(manifest.body()));
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
                + "\"mediaType\":\"" + manifest.headers().firstValue("Content-Type").orElseThrow() + "\",\"digest\":\"" + digest
                + "\",\"size\":" + manifest.body().length + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + arch + "\"}}]}";
        var put = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "index"))
                .header("Content-Type", "application/vnd.oci.image.index.v1+json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(index)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

        String foreign = arch.equals("s390x") ? "ppc64le" : "s390x";
        Cmd.Result missing = daemon.docker("pull", "--platform", "linux/" + foreign, repo + ":index");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stdout() + missing.stderr()).contains("no matching manifest for linux/" + foreign + " in the manifest list entries");
        daemon.docker("pull", "--platform", "linux/" + arch, repo + ":index").orFail();
        assertThat(daemon.docker("image", "inspect", "-f", "{{.Architecture}}", repo + ":index").orFail().out()).isEqualTo(arch);
    }

    @Test
    void pullOfAMissingTagIsAClearError() throws Exception {
        Cmd.Result r = daemon.docker("pull", registry.host() + "/test/nothing:here");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).containsIgnoringCase("not found");
    }

    @Test
    void buildPullsABaseImageTheStoreLacks(@TempDir Path ctx) throws Exception {
        String base = "127.0.0.1:" + berthRegistry.port() + "/base/busybox:1";
        daemon.docker("tag", "busybox", base).orFail();
        daemon.docker("push", base).orFail();
        daemon.docker("rmi", base).orFail();
        java.nio.file.Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\nRUN echo built-on-pulled > /x\n");
        Cmd.Result build = daemon.docker("build", "-t", "on-pulled:1", ctx.toString()).orFail();
        assertThat(build.stdout()).contains("Pulling from base/busybox");
        assertThat(daemon.docker("run", "--rm", "on-pulled:1", "cat", "/x").orFail().out()).isEqualTo("built-on-pulled");
    }
}
