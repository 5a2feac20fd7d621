package io.berth.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Digest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.berth.registry.server.TestRegistry.descriptor;
import static io.berth.registry.server.TestRegistry.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

/** The distribution API endpoint by endpoint, with the spec's status codes, headers and error codes. */
class RegistryConformanceTest {
    @TempDir
    static Path root;
    static TestRegistry registry;

    @BeforeAll
    static void start() {
        registry = TestRegistry.open(root);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void baseEndpointAnnouncesTheApiVersion() {
        HttpResponse<byte[]> r = registry.send("GET", "/v2/", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
        assertThat(registry.send("GET", "/v2", null).statusCode()).isEqualTo(200);
    }

    @Test
    void monolithicUploadThenHeadAndGet() {
        byte[] content = "hello blob".getBytes();
        Digest digest = registry.pushBlob("conf/mono", content);
        HttpResponse<byte[]> head = registry.send("HEAD", "/v2/conf/mono/blobs/" + digest, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(content.length));
        assertThat(head.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        HttpResponse<byte[]> get = registry.send("GET", "/v2/conf/mono/blobs/" + digest, null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
        // the blob is not visible from a repository it was never pushed to
        HttpResponse<byte[]> other = registry.send("GET", "/v2/conf/other/blobs/" + digest, null);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(errorCode(other)).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void rangeRequestsAnswer206() {
        byte[] content = "0123456789".getBytes();
        Digest digest = registry.pushBlob("conf/range", content);
        HttpResponse<byte[]> r = registry.send("GET", "/v2/conf/range/blobs/" + digest, null, "Range", "bytes=2-5");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(new String(r.body())).isEqualTo("2345");
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 2-5/10");
        HttpResponse<byte[]> tail = registry.send("GET", "/v2/conf/range/blobs/" + digest, null, "Range", "bytes=7-");
        assertThat(new String(tail.body())).isEqualTo("789");
        HttpResponse<byte[]> bad = registry.send("GET", "/v2/conf/range/blobs/" + digest, null, "Range", "bytes=20-30");
        assertThat(bad.statusCode()).isEqualTo(416);
        assertThat(bad.headers().firstValue("Content-Range")).hasValue("bytes */10");
    }

    @Test
    void sessionUploadWithPostThenPut() {
        byte[] content = "two-step".getBytes();
        Digest digest = Digest.sha256(content);
        HttpResponse<byte[]> post = registry.send("POST", "/v2/conf/twostep/blobs/uploads/", null);
        assertThat(post.statusCode()).isEqualTo(202);
        String location = post.headers().firstValue("Location").orElseThrow();
        assertThat(post.headers().firstValue("Docker-Upload-UUID")).isPresent();
        assertThat(post.headers().firstValue("Range")).hasValue("0-0");
        HttpResponse<byte[]> put = registry.send("PUT", location + "?digest=" + digest, content,
                "Content-Type", "application/octet-stream");
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).hasValue("/v2/conf/twostep/blobs/" + digest);
        assertThat(registry.send("GET", "/v2/conf/twostep/blobs/" + digest, null).body()).isEqualTo(content);
    }

    @Test
    void chunkedUploadInOrderAndRejectsGapsAndOverlaps() {
        byte[] a = "first-chunk|".getBytes();
        byte[] b = "second-chunk".getBytes();
        String location = registry.send("POST", "/v2/conf/chunked/blobs/uploads/", null)
                .headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> p1 = registry.send("PATCH", location, a,
                "Content-Type", "application/octet-stream", "Content-Range", "0-" + (a.length - 1));
        assertThat(p1.statusCode()).isEqualTo(202);
        assertThat(p1.headers().firstValue("Range")).hasValue("0-" + (a.length - 1));

        HttpResponse<byte[]> gap = registry.send("PATCH", location, b,
                "Content-Range", (a.length + 5) + "-" + (a.length + 5 + b.length - 1));
        assertThat(gap.statusCode()).isEqualTo(416);
        assertThat(gap.headers().firstValue("Range")).hasValue("0-" + (a.length - 1));
        HttpResponse<byte[]> overlap = registry.send("PATCH", location, b,
                "Content-Range", "3-" + (3 + b.length - 1));
        assertThat(overlap.statusCode()).isEqualTo(416);

        HttpResponse<byte[]> status = registry.send("GET", location, null);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).hasValue("0-" + (a.length - 1));

        HttpResponse<byte[]> p2 = registry.send("PATCH", location, b,
                "Content-Range", a.length + "-" + (a.length + b.length - 1));
        assertThat(p2.statusCode()).isEqualTo(202);
        byte[] all = (new String(a) + new String(b)).getBytes();
        Digest digest = Digest.sha256(all);
        assertThat(registry.send("PUT", location + "?digest=" + digest, null).statusCode()).isEqualTo(201);
        assertThat(registry.send("GET", "/v2/conf/chunked/blobs/" + digest, null).body()).isEqualTo(all);
        // the session is gone once finished
        assertThat(errorCode(registry.send("GET", location, null))).isEqualTo("BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void streamedPatchWithoutContentRange() {
        byte[] a = "stream-a".getBytes();
        byte[] b = "stream-b".getBytes();
        String location = registry.send("POST", "/v2/conf/streamed/blobs/uploads/", null)
                .headers().firstValue("Location").orElseThrow();
        assertThat(registry.send("PATCH", location, a).statusCode()).isEqualTo(202);
        HttpResponse<byte[]> second = registry.send("PATCH", location, b);
        assertThat(second.headers().firstValue("Range")).hasValue("0-" + (a.length + b.length - 1));
        Digest digest = Digest.sha256("stream-astream-b".getBytes());
        assertThat(registry.send("PUT", location + "?digest=" + digest, null).statusCode()).isEqualTo(201);
    }

    @Test
    void cancelledUploadIsGone() throws Exception {
        HttpResponse<byte[]> post = registry.send("POST", "/v2/conf/cancel/blobs/uploads/", null);
        String location = post.headers().firstValue("Location").orElseThrow();
        registry.send("PATCH", location, "partial".getBytes());
        assertThat(registry.send("DELETE", location, null).statusCode()).isEqualTo(204);
        HttpResponse<byte[]> after = registry.send("GET", location, null);
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(errorCode(after)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        String uuid = post.headers().firstValue("Docker-Upload-UUID").orElseThrow();
        assertThat(Files.exists(root.resolve("uploads").resolve(uuid))).isFalse();
    }

    @Test
    void wrongDigestIsRejectedAndLeavesNothing() throws Exception {
        byte[] content = "the real bytes".getBytes();
        Digest claimed = Digest.sha256("other bytes".getBytes());
        HttpResponse<byte[]> r = registry.send("POST", "/v2/conf/wrong/blobs/uploads/?digest=" + claimed, content);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("DIGEST_INVALID");
        assertThat(Files.exists(root.resolve("blobs/sha256").resolve(claimed.hex()))).isFalse();
        assertThat(Files.exists(root.resolve("blobs/sha256").resolve(Digest.sha256(content).hex()))).isFalse();
        try (var uploads = Files.list(root.resolve("uploads"))) {
            assertThat(uploads.filter(p -> registry.send("GET", "/v2/conf/wrong/blobs/uploads/" + p.getFileName(),
                    null).statusCode() != 404)).isEmpty();
        }
        // session form too: the session is discarded
        String location = registry.send("POST", "/v2/conf/wrong/blobs/uploads/", null)
                .headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> put = registry.send("PUT", location + "?digest=" + claimed, content);
        assertThat(errorCode(put)).isEqualTo("DIGEST_INVALID");
        assertThat(registry.send("GET", location, null).statusCode()).isEqualTo(404);
        assertThat(errorCode(registry.send("POST", "/v2/conf/wrong/blobs/uploads/?digest=sha256:xyz", content)))
                .isEqualTo("DIGEST_INVALID");
    }

    @Test
    void sha512BlobsAreSupported() throws Exception {
        byte[] content = "sha512 content".getBytes();
        Digest digest = Digest.of(Digest.SHA512, MessageDigest.getInstance("SHA-512").digest(content));
        HttpResponse<byte[]> r = registry.send("POST", "/v2/conf/sha512/blobs/uploads/?digest=" + digest, content);
        assertThat(r.statusCode()).isEqualTo(201);
        HttpResponse<byte[]> get = registry.send("GET", "/v2/conf/sha512/blobs/" + digest, null);
        assertThat(get.body()).isEqualTo(content);
        assertThat(Files.exists(root.resolve("blobs/sha512").resolve(digest.hex()))).isTrue();
    }

    @Test
    void crossRepositoryMount() {
        Digest digest = registry.pushBlob("conf/mount-source", "mount me".getBytes());
        HttpResponse<byte[]> mounted = registry.send("POST",
                "/v2/conf/mount-target/blobs/uploads/?mount=" + digest + "&from=conf/mount-source", null);
        assertThat(mounted.statusCode()).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
        assertThat(registry.send("HEAD", "/v2/conf/mount-target/blobs/" + digest, null).statusCode()).isEqualTo(200);
        Digest absent = Digest.sha256("not there".getBytes());
        HttpResponse<byte[]> fallback = registry.send("POST",
                "/v2/conf/mount-target/blobs/uploads/?mount=" + absent + "&from=conf/mount-source", null);
        assertThat(fallback.statusCode()).isEqualTo(202);
        assertThat(fallback.headers().firstValue("Location")).isPresent();
    }

    @Test
    void ociManifestByTagAndDigest() throws Exception {
        byte[] manifest = registry.imageManifest("conf/oci", MediaTypes.OCI_MANIFEST, "layer one", "layer two");
        Digest digest = registry.pushManifest("conf/oci", "v1", MediaTypes.OCI_MANIFEST, manifest);
        assertThat(digest).isEqualTo(Digest.sha256(manifest));
        for (String ref : List.of("v1", digest.toString())) {
            HttpResponse<byte[]> get = registry.send("GET", "/v2/conf/oci/manifests/" + ref, null,
                    "Accept", MediaTypes.OCI_MANIFEST);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(manifest);
            assertThat(get.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_MANIFEST);
            assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
            HttpResponse<byte[]> head = registry.send("HEAD", "/v2/conf/oci/manifests/" + ref, null);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(manifest.length));
        }
        HttpResponse<byte[]> unknown = registry.send("GET", "/v2/conf/oci/manifests/nope", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("MANIFEST_UNKNOWN");
    }

    @Test
    void anInvalidTagIsUnknownToReadersAndInvalidToWriters() throws Exception {
        byte[] manifest = registry.imageManifest("conf/badtag", MediaTypes.OCI_MANIFEST, "layer");
        registry.pushManifest("conf/badtag", "v1", MediaTypes.OCI_MANIFEST, manifest);
        for (String tag : List.of("-bad", ".hidden", "x".repeat(129))) {
            HttpResponse<byte[]> get = registry.send("GET", "/v2/conf/badtag/manifests/" + tag, null);
            assertThat(get.statusCode()).as(tag).isEqualTo(404);
            assertThat(errorCode(get)).as(tag).isEqualTo("MANIFEST_UNKNOWN");
            assertThat(registry.send("HEAD", "/v2/conf/badtag/manifests/" + tag, null).statusCode()).as(tag).isEqualTo(404);
            HttpResponse<byte[]> delete = registry.send("DELETE", "/v2/conf/badtag/manifests/" + tag, null);
            assertThat(delete.statusCode()).as(tag).isEqualTo(404);
            HttpResponse<byte[]> put = registry.send("PUT", "/v2/conf/badtag/manifests/" + tag, manifest,
                    "Content-Type", MediaTypes.OCI_MANIFEST);
            assertThat(put.statusCode()).as(tag).isEqualTo(400);
            assertThat(errorCode(put)).as(tag).isEqualTo("TAG_INVALID");
        }
    }

    @Test
    void dockerManifestAndListAndOciIndex() {
        byte[] docker = registry.imageManifest("conf/docker", MediaTypes.DOCKER_MANIFEST, "docker layer");
        Digest child = registry.pushManifest("conf/docker", Digest.sha256(docker).toString(),
                MediaTypes.DOCKER_MANIFEST, docker);
        for (String type : List.of(MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_INDEX)) {
            Map<String, Object> entry = descriptor(MediaTypes.DOCKER_MANIFEST, child, docker.length);
            entry.put("platform", Map.of("architecture", "amd64", "os", "linux"));
            byte[] list = Json.canonicalBytes(Map.of("schemaVersion", 2, "mediaType", type, "manifests", List.of(entry)));
            Digest digest = registry.pushManifest("conf/docker", "list", type, list);
            HttpResponse<byte[]> get = registry.send("GET", "/v2/conf/docker/manifests/list", null);
            assertThat(get.headers().firstValue("Content-Type")).hasValue(type);
            assertThat(get.headers().firstValue("Docker-Content-Digest")).hasValue(digest.toString());
            assertThat(get.body()).isEqualTo(list);
        }
        HttpResponse<byte[]> get = registry.send("GET", "/v2/conf/docker/manifests/" + child, null);
        assertThat(get.headers().firstValue("Content-Type")).hasValue(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void manifestReferencingAMissingBlobStoresNothing() {
        Digest config = registry.pushBlob("conf/missing", "{}".getBytes());
        Digest missing = Digest.sha256("never pushed".getBytes());
        byte[] manifest = Json.canonicalBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                "config", descriptor(MediaTypes.OCI_CONFIG, config, 2),
                "layers", List.of(descriptor(MediaTypes.OCI_LAYER_TAR_GZIP, missing, 12))));
        HttpResponse<byte[]> r = registry.send("PUT", "/v2/conf/missing/manifests/latest", manifest,
                "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        assertThat(registry.send("GET", "/v2/conf/missing/manifests/latest", null).statusCode()).isEqualTo(404);
        assertThat(registry.send("GET", "/v2/conf/missing/manifests/" + Digest.sha256(manifest), null).statusCode())
                .isEqualTo(404);
        assertThat(Files.exists(root.resolve("blobs/sha256").resolve(Digest.sha256(manifest).hex()))).isFalse();
        // an index whose child manifest is missing
        byte[] index = Json.canonicalBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_INDEX,
                "manifests", List.of(descriptor(MediaTypes.OCI_MANIFEST, missing, 12))));
        assertThat(errorCode(registry.send("PUT", "/v2/conf/missing/manifests/idx", index,
                "Content-Type", MediaTypes.OCI_INDEX))).isEqualTo("MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void invalidManifestsAreRejected() {
        assertThat(errorCode(registry.send("PUT", "/v2/conf/invalid/manifests/x", "not json".getBytes(),
                "Content-Type", MediaTypes.OCI_MANIFEST))).isEqualTo("MANIFEST_INVALID");
        byte[] manifest = registry.imageManifest("conf/invalid", MediaTypes.OCI_MANIFEST, "l");
        assertThat(errorCode(registry.send("PUT", "/v2/conf/invalid/manifests/x", manifest,
                "Content-Type", MediaTypes.DOCKER_MANIFEST))).isEqualTo("MANIFEST_INVALID");
        HttpResponse<byte[]> wrongDigest = registry.send("PUT",
                "/v2/conf/invalid/manifests/" + Digest.sha256("x".getBytes()), manifest,
                "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(errorCode(wrongDigest)).isEqualTo("DIGEST_INVALID");
    }

    @Test
    void deleteManifestTagAndBlob() {
        byte[] manifest = registry.imageManifest("conf/delete", MediaTypes.OCI_MANIFEST, "deletable");
        Digest digest = registry.pushManifest("conf/delete", "a", MediaTypes.OCI_MANIFEST, manifest);
        registry.pushManifest("conf/delete", "b", MediaTypes.OCI_MANIFEST, manifest);
        assertThat(registry.send("DELETE", "/v2/conf/delete/manifests/a", null).statusCode()).isEqualTo(202);
        assertThat(registry.send("GET", "/v2/conf/delete/manifests/a", null).statusCode()).isEqualTo(404);
        assertThat(registry.send("GET", "/v2/conf/delete/manifests/b", null).statusCode()).isEqualTo(200);
        assertThat(registry.send("DELETE", "/v2/conf/delete/manifests/" + digest, null).statusCode()).isEqualTo(202);
        assertThat(registry.send("GET", "/v2/conf/delete/manifests/b", null).statusCode()).isEqualTo(404);
        assertThat(registry.send("GET", "/v2/conf/delete/manifests/" + digest, null).statusCode()).isEqualTo(404);
        assertThat(errorCode(registry.send("DELETE", "/v2/conf/delete/manifests/" + digest, null)))
                .isEqualTo("MANIFEST_UNKNOWN");

        Digest blob = registry.pushBlob("conf/delete", "blob to delete".getBytes());
        assertThat(registry.send("DELETE", "/v2/conf/delete/blobs/" + blob, null).statusCode()).isEqualTo(202);
        assertThat(registry.send("HEAD", "/v2/conf/delete/blobs/" + blob, null).statusCode()).isEqualTo(404);
        assertThat(errorCode(registry.send("DELETE", "/v2/conf/delete/blobs/" + blob, null))).isEqualTo("BLOB_UNKNOWN");
    }

    @Test
    void tagsListPaginatesWithLinkHeader() throws Exception {
        byte[] manifest = registry.imageManifest("conf/tags", MediaTypes.OCI_MANIFEST, "tagged");
        for (String tag : List.of("c", "a", "e", "b", "d")) {
            registry.pushManifest("conf/tags", tag, MediaTypes.OCI_MANIFEST, manifest);
        }
        HttpResponse<byte[]> all = registry.send("GET", "/v2/conf/tags/tags/list", null);
        assertThat(json(all).path("name").asText()).isEqualTo("conf/tags");
        assertThat(json(all).path("tags").toString()).isEqualTo("[\"a\",\"b\",\"c\",\"d\",\"e\"]");
        assertThat(all.headers().firstValue("Link")).isEmpty();
        HttpResponse<byte[]> first = registry.send("GET", "/v2/conf/tags/tags/list?n=2", null);
        assertThat(json(first).path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(first.headers().firstValue("Link")).hasValue("</v2/conf/tags/tags/list?n=2&last=b>; rel=\"next\"");
        HttpResponse<byte[]> next = registry.send("GET", "/v2/conf/tags/tags/list?n=2&last=b", null);
        assertThat(json(next).path("tags").toString()).isEqualTo("[\"c\",\"d\"]");
        HttpResponse<byte[]> last = registry.send("GET", "/v2/conf/tags/tags/list?n=2&last=d", null);
        assertThat(json(last).path("tags").toString()).isEqualTo("[\"e\"]");
        assertThat(last.headers().firstValue("Link")).isEmpty();
        HttpResponse<byte[]> unknown = registry.send("GET", "/v2/conf/no-such-repo/tags/list", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("NAME_UNKNOWN");
    }

    @Test
    void catalogPaginates() throws Exception {
        try (TestRegistry own = TestRegistry.open(Files.createTempDirectory(root, "catalog"))) {
            for (String repo : List.of("zeta", "alpha/one", "beta")) {
                own.pushBlob(repo, repo.getBytes());
            }
            HttpResponse<byte[]> all = own.send("GET", "/v2/_catalog", null);
            assertThat(json(all).path("repositories").toString()).isEqualTo("[\"alpha/one\",\"beta\",\"zeta\"]");
            HttpResponse<byte[]> page = own.send("GET", "/v2/_catalog?n=1&last=alpha/one", null);
            assertThat(json(page).path("repositories").toString()).isEqualTo("[\"beta\"]");
            assertThat(page.headers().firstValue("Link")).hasValue("</v2/_catalog?n=1&last=beta>; rel=\"next\"");
        }
    }

    @Test
    void referrersApi() throws Exception {
        byte[] image = registry.imageManifest("conf/referrers", MediaTypes.OCI_MANIFEST, "subject layer");
        Digest subject = registry.pushManifest("conf/referrers", "v1", MediaTypes.OCI_MANIFEST, image);
        Digest emptyConfig = registry.pushBlob("conf/referrers", "{}".getBytes());
        Digest signaturePayload = registry.pushBlob("conf/referrers", "signature".getBytes());
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("artifactType", "application/vnd.example.signature");
        manifest.put("config", descriptor("application/vnd.oci.empty.v1+json", emptyConfig, 2));
        manifest.put("layers", List.of(descriptor("application/octet-stream", signaturePayload, 9)));
        manifest.put("subject", descriptor(MediaTypes.OCI_MANIFEST, subject, image.length));
        manifest.put("annotations", Map.of("org.example", "yes"));
        byte[] referrer = Json.canonicalBytes(manifest);
        HttpResponse<byte[]> put = registry.send("PUT", "/v2/conf/referrers/manifests/" + Digest.sha256(referrer),
                referrer, "Content-Type", MediaTypes.OCI_MANIFEST);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("OCI-Subject")).hasValue(subject.toString());

        HttpResponse<byte[]> list = registry.send("GET", "/v2/conf/referrers/referrers/" + subject, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).hasValue(MediaTypes.OCI_INDEX);
        JsonNode index = json(list);
        assertThat(index.path("manifests")).hasSize(1);
        assertThat(index.path("manifests").path(0).path("digest").asText()).isEqualTo(Digest.sha256(referrer).toString());
        assertThat(index.path("manifests").path(0).path("artifactType").asText())
                .isEqualTo("application/vnd.example.signature");
        assertThat(index.path("manifests").path(0).path("annotations").path("org.example").asText()).isEqualTo("yes");

        HttpResponse<byte[]> filtered = registry.send("GET",
                "/v2/conf/referrers/referrers/" + subject + "?artifactType=application/vnd.example.other", null);
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
        assertThat(json(filtered).path("manifests")).isEmpty();
        HttpResponse<byte[]> matching = registry.send("GET",
                "/v2/conf/referrers/referrers/" + subject + "?artifactType=application/vnd.example.signature", null);
        assertThat(json(matching).path("manifests")).hasSize(1);

        HttpResponse<byte[]> none = registry.send("GET", "/v2/conf/referrers/referrers/" + emptyConfig, null);
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(json(none).path("manifests")).isEmpty();

        registry.send("DELETE", "/v2/conf/referrers/manifests/" + Digest.sha256(referrer), null);
        assertThat(json(registry.send("GET", "/v2/conf/referrers/referrers/" + subject, null)).path("manifests")).isEmpty();
    }

    @Test
    void invalidNamesAreRefused() throws Exception {
        for (String name : List.of("Upper/case", "a/../../etc", "..", "a//b", "-lead", "a/%2e%2e/b")) {
            HttpResponse<byte[]> r = registry.send("GET", "/v2/" + name + "/tags/list", null);
            assertThat(r.statusCode()).as(name).isEqualTo(400);
            assertThat(errorCode(r)).as(name).isEqualTo("NAME_INVALID");
        }
        HttpResponse<byte[]> push = registry.send("POST", "/v2/a/../../x/blobs/uploads/?digest="
                + Digest.sha256("x".getBytes()), "x".getBytes());
        assertThat(errorCode(push)).isEqualTo("NAME_INVALID");
        try (var walk = Files.walk(root.resolve("repositories"))) {
            assertThat(walk.map(Path::toString)).noneMatch(p -> p.contains(".."));
        }
        assertThat(Files.exists(root.resolve("x"))).isFalse();
    }

    @Test
    void unknownMethodsAndPaths() {
        HttpResponse<byte[]> post = registry.send("POST", "/v2/conf/x/tags/list", new byte[0]);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(errorCode(post)).isEqualTo("UNSUPPORTED");
        assertThat(registry.send("GET", "/nothing", null).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> badDigest = registry.send("GET", "/v2/conf/x/blobs/sha256:1234", null);
        assertThat(badDigest.statusCode()).isEqualTo(400);
        assertThat(errorCode(badDigest)).isEqualTo("DIGEST_INVALID");
        HttpResponse<byte[]> unknownUpload = registry.send("PATCH",
                "/v2/conf/x/blobs/uploads/00000000-0000-0000-0000-000000000000", "x".getBytes());
        assertThat(errorCode(unknownUpload)).isEqualTo("BLOB_UPLOAD_UNKNOWN");
        assertThat(errorCode(registry.send("GET", "/v2/conf/x/blobs/uploads/../../../etc", null)))
                .isIn("BLOB_UPLOAD_UNKNOWN", "NAME_INVALID", "UNSUPPORTED");
    }

    @Test
    void errorBodiesHaveTheSpecShape() throws Exception {
        HttpResponse<byte[]> r = registry.send("GET", "/v2/conf/shape/manifests/latest", null);
        JsonNode error = json(r).path("errors").path(0);
        assertThat(error.path("code").asText()).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(error.path("message").asText()).isNotEmpty();
        assertThat(error.has("detail")).isTrue();
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("{\"errors\":[");
    }
}
