package io.berth.registry.server;

import io.berth.oci.Digest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/** A registry on an ephemeral loopback port plus a raw HTTP client speaking the distribution API to it. */
final class TestRegistry implements AutoCloseable {
    final RegistryServer server;
    final HttpClient http;
    final Path root;
    final ConcurrentLinkedQueue<RegistryConfig.AccessLogEntry> log = new ConcurrentLinkedQueue<>();

    TestRegistry(RegistryConfig config, HttpClient http) {
        this.root = config.root();
        this.server = RegistryServer.start(config.withAccessLog(log::add));
        this.http = http;
    }

    static TestRegistry open(Path root) {
        return new TestRegistry(RegistryConfig.loopback(root), client());
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI uri(String path) {
        return server.baseUri().resolve(path);
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Monolithic upload (POST ?digest=); asserts 201. */
    Digest pushBlob(String repo, byte[] content) {
        Digest digest = Digest.sha256(content);
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream");
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
        return digest;
    }

    /** Pushes a manifest; asserts 201 and returns the digest the registry answered. */
    Digest pushManifest(String repo, String reference, String mediaType, byte[] bytes) {
        HttpResponse<byte[]> r = send("PUT", "/v2/" + repo + "/manifests/" + reference, bytes,
                "Content-Type", mediaType);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
        return Digest.parse(r.headers().firstValue("Docker-Content-Digest").orElseThrow());
    }

    /** Pushes a config and layers and returns an image manifest referencing them (not pushed). */
    byte[] imageManifest(String repo, String mediaType, String... layerTexts) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + String.join(",", layerTexts) + "\"}")
                .getBytes();
        Digest configDigest = pushBlob(repo, config);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (String text : layerTexts) {
            byte[] layer = text.getBytes();
            layers.add(descriptor(mediaType.equals(MediaTypes.DOCKER_MANIFEST) ? MediaTypes.DOCKER_LAYER_TAR_GZIP
                    : MediaTypes.OCI_LAYER_TAR_GZIP, pushBlob(repo, layer), layer.length));
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", mediaType);
        manifest.put("config", descriptor(mediaType.equals(MediaTypes.DOCKER_MANIFEST) ? MediaTypes.DOCKER_CONFIG
                : MediaTypes.OCI_CONFIG, configDigest, config.length));
        manifest.put("layers", layers);
        return Json.canonicalBytes(manifest);
    }

    static Map<String, Object> descriptor(String mediaType, Digest digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    static String errorCode(HttpResponse<byte[]> response) {
        try {
            return Json.mapper().readTree(response.body()).path("errors").path(0).path("code").asText();
        } catch (IOException e) {
            return "<not JSON: " + new String(response.body()) + ">";
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
