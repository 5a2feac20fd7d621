package io.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The Docker Engine API as the berth CLI uses it. Results are Jackson trees: the CLI reads a few
 * fields of each and prints whole documents for inspect, so typed models would only add a
 * translation layer. The API version is negotiated once, on the first call, from {@code /_ping}.
 */
public final class EngineClient {

    public static final String MAX_API_VERSION = "1.43";

    private final UnixHttpClient http;
    private volatile String apiVersion;

    public EngineClient(DockerHost host) {
        this.http = new UnixHttpClient(host);
    }

    /**
     * A mapper for the CLI's few conversions of trees to plain Java data (--format). Requests and
     * answers go through {@link JsonTree} instead: building a mapper costs more than most commands.
     */
    public static ObjectMapper json() {
        return Mapper.JSON;
    }

    /** Holds the mapper so that it is built on first use only. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    public DockerHost host() {
        return http.host();
    }

    // ---- system ------------------------------------------------------------------------------

    /** The daemon's answer to HEAD /_ping. */
    public record Ping(String apiVersion, String osType, String builderVersion) {}

    public Ping ping() {
        try (HttpResponse response = http.send(HttpRequest.of("HEAD", "/_ping"))) {
            if (response.status() >= 400) {
                throw new EngineApiException(response.status(), "ping failed with status " + response.status());
            }
            return new Ping(response.header("Api-Version"), response.header("Ostype"), response.header("Builder-Version"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version every later request is prefixed with: the daemon's, capped at {@link #MAX_API_VERSION}. */
    public String apiVersion() {
        String v = apiVersion;
        if (v == null) {
            String server = ping().apiVersion();
            v = server == null || compareVersions(server, MAX_API_VERSION) > 0 ? MAX_API_VERSION : server;
            apiVersion = v;
        }
        return v;
    }

    static int compareVersions(String a, String b) {
        String[] pa = a.split("\\.");
        String[] pb = b.split("\\.");
        for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
            int x = i < pa.length ? parseIntOr(pa[i]) : 0;
            int y = i < pb.length ? parseIntOr(pb[i]) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    private static int parseIntOr(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public JsonNode version() {
        return getJson("/version");
    }

    public JsonNode info() {
        return getJson("/info");
    }

    public JsonNode systemDf() {
        return getJson("/system/df");
    }

    /** GET /events: calls {@code onEvent} for each event until the stream ends (or forever without until). */
    public void events(String since, String until, Map<String, List<String>> filters, Consumer<JsonNode> onEvent) {
        String q = Query.of().add("since", since).add("until", until).add("filters", filtersJson(filters)).toString();
        try (JsonLines lines = jsonLines(HttpRequest.of("GET", path("/events" + q)))) {
            while (lines.hasNext()) {
                onEvent.accept(lines.next());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- containers --------------------------------------------------------------------------

    public JsonNode listContainers(boolean all, int limit, boolean size, Map<String, List<String>> filters) {
        Query q = Query.of().flag("all", all).flag("size", size).add("filters", filtersJson(filters));
        if (limit > 0) {
            q.add("limit", limit);
        }
        return getJson("/containers/json" + q);
    }

    /** POST /containers/create; returns {@code {"Id": ..., "Warnings": [...]}}. */
    public JsonNode createContainer(String name, ObjectNode config) {
        return createContainer(name, null, config);
    }

    /** {@code platform} ("linux/arm64"), when not null, makes the daemon refuse an image of another platform. */
    public JsonNode createContainer(String name, String platform, ObjectNode config) {
        return sendJson("POST", "/containers/create" + Query.of().add("name", name).add("platform", platform), config);
    }

    public JsonNode inspectContainer(String id, boolean size) {
        return getJson("/containers/" + Query.path(id) + "/json" + Query.of().flag("size", size));
    }

    public void startContainer(String id) {
        sendNoContent("POST", "/containers/" + Query.path(id) + "/start");
    }

    public void stopContainer(String id, Integer timeoutSeconds, String signal) {
        sendNoContent("POST", "/containers/" + Query.path(id) + "/stop" + Query.of().add("t", timeoutSeconds).add("signal", signal));
    }

    public void restartContainer(String id, Integer timeoutSeconds, String signal) {
        sendNoContent("POST", "/containers/" + Query.path(id) + "/restart" + Query.of().add("t", timeoutSeconds).add("signal", signal));
    }

    public void killContainer(String id, String signal) {
        sendNoContent("POST", "/containers/" + Query.path(id) + "/kill" + Query.of().add("signal", signal));
    }

    public void removeContainer(String id, boolean force, boolean volumes) {
        sendNoContent("DELETE", "/containers/" + Query.path(id) + Query.of().flag("force", force).flag("v", volumes));
    }

    /**
     * Removes the legacy link named "/PARENT/ALIAS" (rm --link); the linked container stays. Sent as the docker CLI
     * does, without the outer slashes: DELETE /containers/PARENT/ALIAS?link=1.
     */
    public void removeLink(String linkName) {
        String trimmed = linkName.replaceAll("^/+|/+$", "");
        sendNoContent("DELETE", "/containers/" + Query.path(trimmed) + Query.of().flag("link", true));
    }

    public void pauseContainer(String id) {
        sendNoContent("POST", "/containers/" + Query.path(id) + "/pause");
    }

    public void unpauseContainer(String id) {
        sendNoContent("POST", "/containers/" + Query.path(id) + "/unpause");
    }

    public void renameContainer(String id, String newName) {
        sendNoContent("POST", "/containers/" + Query.path(id) + "/rename" + Query.of().add("name", newName));
    }

    public void resizeContainer(String id, int height, int width) {
        sendNoContent("POST", "/containers/" + Query.path(id) + "/resize" + Query.of().add("h", height).add("w", width));
    }

    /** POST /containers/{id}/wait, blocking until the condition holds. */
    public JsonNode waitContainer(String id, String condition) {
        return waitContainerAsync(id, condition).join();
    }

    /**
     * Sends the wait request now and reads its answer in the background. {@code docker run} registers
     * the wait before starting the container so that a fast exit (or auto-removal) is not missed.
     */
    public CompletableFuture<JsonNode> waitContainerAsync(String id, String condition) {
        UnixHttpClient.SentRequest sent = http.sendRequest(HttpRequest.of("POST",
                path("/containers/" + Query.path(id) + "/wait" + Query.of().add("condition", condition))));
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        // A platform thread: a JVM whose virtual-thread poller sits in epoll_wait takes 300 ms longer to exit.
        Thread.ofPlatform().daemon().name("wait-" + id).start(() -> {
            try {
                result.complete(readJson(sent.awaitResponse()));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** GET /containers/{id}/changes: [{"Path", "Kind"}], or null when nothing changed. */
    public JsonNode containerChanges(String id) {
        return getJson("/containers/" + Query.path(id) + "/changes");
    }

    /** GET /containers/{id}/export: a tar of the container's root; the caller reads and closes it. */
    public HttpResponse exportContainer(String id) {
        return stream(HttpRequest.of("GET", path("/containers/" + Query.path(id) + "/export")));
    }

    /** POST /commit: the new image's {"Id"}. */
    public JsonNode commit(String container, String repo, String tag, String comment, String author, boolean pause,
                           List<String> changes) {
        return sendJson("POST", "/commit" + Query.of().add("container", container).add("repo", repo).add("tag", tag)
                .add("comment", comment).add("author", author).bool("pause", pause).addAll("changes", changes), null);
    }

    /** POST /containers/{id}/update: {"Warnings"}. */
    public JsonNode updateContainer(String id, ObjectNode update) {
        return sendJson("POST", "/containers/" + Query.path(id) + "/update", update);
    }

    public JsonNode top(String id, String psArgs) {
        return getJson("/containers/" + Query.path(id) + "/top" + Query.of().add("ps_args", psArgs));
    }

    public JsonNode stats(String id) {
        return getJson("/containers/" + Query.path(id) + "/stats" + Query.of().bool("stream", false));
    }

    public JsonLines statsStream(String id) {
        return jsonLines(HttpRequest.of("GET", path("/containers/" + Query.path(id) + "/stats" + Query.of().bool("stream", true))));
    }

    /** Options of GET /containers/{id}/logs. */
    public record LogsOptions(boolean follow, boolean stdout, boolean stderr, String since, String until,
                              boolean timestamps, boolean details, String tail) {}

    /** The raw log stream (framed unless the container has a TTY); the caller closes it. */
    public HttpResponse logs(String id, LogsOptions o) {
        Query q = Query.of().flag("follow", o.follow()).flag("stdout", o.stdout()).flag("stderr", o.stderr())
                .add("since", o.since()).add("until", o.until()).flag("timestamps", o.timestamps())
                .flag("details", o.details()).add("tail", o.tail());
        return stream(HttpRequest.of("GET", path("/containers/" + Query.path(id) + "/logs" + q)));
    }

    public HijackedStream attach(String id, boolean stdin, boolean stdout, boolean stderr, boolean logs, String detachKeys) {
        Query q = Query.of().flag("stream", true).flag("stdin", stdin).flag("stdout", stdout).flag("stderr", stderr)
                .flag("logs", logs).add("detachKeys", detachKeys);
        return http.hijack(HttpRequest.of("POST", path("/containers/" + Query.path(id) + "/attach" + q)));
    }

    /** GET /containers/{id}/archive: a tar of the path plus its stat header. */
    public record Archive(ArchiveStat stat, HttpResponse response) {}

    public Archive getArchive(String id, String containerPath) {
        HttpResponse response = stream(HttpRequest.of("GET",
                path("/containers/" + Query.path(id) + "/archive" + Query.of().add("path", containerPath))));
        return new Archive(ArchiveStat.decode(response.header("X-Docker-Container-Path-Stat")), response);
    }

    /** HEAD /containers/{id}/archive; null when the daemon answers 404 (no such path, or no such container). */
    public ArchiveStat statPath(String id, String containerPath) {
        try (HttpResponse response = http.send(HttpRequest.of("HEAD",
                path("/containers/" + Query.path(id) + "/archive" + Query.of().add("path", containerPath))))) {
            if (response.status() == 404) {
                return null;
            }
            if (response.status() >= 400) {
                throw new EngineApiException(response.status(), "stat " + containerPath + " failed with status " + response.status());
            }
            return ArchiveStat.decode(response.header("X-Docker-Container-Path-Stat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void putArchive(String id, String containerPath, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) {
        Query q = Query.of().add("path", containerPath).bool("noOverwriteDirNonDir", noOverwriteDirNonDir).bool("copyUIDGID", copyUidGid);
        try (HttpResponse response = http.send(HttpRequest.of("PUT", path("/containers/" + Query.path(id) + "/archive" + q),
                RequestBody.tar(tar)))) {
            check(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode pruneContainers(Map<String, List<String>> filters) {
        return sendJson("POST", "/containers/prune" + Query.of().add("filters", filtersJson(filters)), null);
    }

    // ---- exec --------------------------------------------------------------------------------

    /** POST /containers/{id}/exec; returns the exec id. */
    public String createExec(String containerId, ObjectNode config) {
        return sendJson("POST", "/containers/" + Query.path(containerId) + "/exec", config).path("Id").asText();
    }

    /** POST /exec/{id}/start with Detach=false, upgraded to a raw stream. */
    public HijackedStream startExecAttached(String execId, boolean tty, int[] consoleSize) {
        ObjectNode body = execStartBody(false, tty, consoleSize);
        return http.hijack(new HttpRequest("POST", path("/exec/" + Query.path(execId) + "/start"), Map.of(),
                RequestBody.json(JsonTree.write(body))));
    }

    /** POST /exec/{id}/start with Detach=true: the process runs in the background. */
    public void startExecDetached(String execId, boolean tty) {
        sendJson("POST", "/exec/" + Query.path(execId) + "/start", execStartBody(true, tty, null));
    }

    private static ObjectNode execStartBody(boolean detach, boolean tty, int[] consoleSize) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Detach", detach);
        body.put("Tty", tty);
        if (consoleSize != null) {
            body.putArray("ConsoleSize").add(consoleSize[0]).add(consoleSize[1]);
        }
        return body;
    }

    public JsonNode inspectExec(String execId) {
        return getJson("/exec/" + Query.path(execId) + "/json");
    }

    public void resizeExec(String execId, int height, int width) {
        sendNoContent("POST", "/exec/" + Query.path(execId) + "/resize" + Query.of().add("h", height).add("w", width));
    }

    // ---- images ------------------------------------------------------------------------------

    public JsonNode listImages(boolean all, boolean digests, Map<String, List<String>> filters) {
        return getJson("/images/json" + Query.of().flag("all", all).flag("digests", digests).add("filters", filtersJson(filters)));
    }

    public JsonNode inspectImage(String name) {
        return getJson("/images/" + Query.path(name) + "/json");
    }

    public JsonNode imageHistory(String name) {
        return getJson("/images/" + Query.path(name) + "/history");
    }

    public void tagImage(String source, String repo, String tag) {
        sendNoContent("POST", "/images/" + Query.path(source) + "/tag" + Query.of().add("repo", repo).add("tag", tag));
    }

    /** DELETE /images/{name}: the list of {@code {"Untagged": ...}} and {@code {"Deleted": ...}} entries. */
    public JsonNode removeImage(String name, boolean force, boolean noPrune) {
        return sendJson("DELETE", "/images/" + Query.path(name) + Query.of().flag("force", force).flag("noprune", noPrune), null);
    }

    public JsonNode pruneImages(Map<String, List<String>> filters) {
        return sendJson("POST", "/images/prune" + Query.of().add("filters", filtersJson(filters)), null);
    }

    /** GET /images/get: a docker-save tar of the images; the caller streams and closes it. */
    public HttpResponse saveImages(List<String> names) {
        return stream(HttpRequest.of("GET", path("/images/get" + Query.of().addAll("names", names))));
    }

    /** POST /images/load: streams the tar, reports each progress message (e.g. "Loaded image: ..."). */
    public void loadImages(InputStream tar, boolean quiet, Consumer<JsonNode> onMessage) {
        progress(new HttpRequest("POST", path("/images/load" + Query.of().flag("quiet", quiet)), Map.of(),
                RequestBody.tar(tar)), onMessage);
    }

    /** POST /images/create?fromSrc=-: imports a rootfs tar as a single-layer image. */
    public void importImage(InputStream tar, String repo, String tag, List<String> changes, String message,
                            Consumer<JsonNode> onMessage) {
        Query q = Query.of().add("fromSrc", "-").add("repo", repo).add("tag", tag).addAll("changes", changes).add("message", message);
        progress(new HttpRequest("POST", path("/images/create" + q), Map.of(), RequestBody.tar(tar)), onMessage);
    }

    /** POST /images/create?fromImage=: pulls from a registry with the given credentials. */
    public void pullImage(String image, String tag, String platform, RegistryAuth auth, Consumer<JsonNode> onMessage) {
        Query q = Query.of().add("fromImage", image).add("tag", tag).add("platform", platform);
        progress(new HttpRequest("POST", path("/images/create" + q), Map.of("X-Registry-Auth", auth.header()),
                RequestBody.EMPTY), onMessage);
    }

    /**
     * POST /images/{name}/push: pushes one tag, or every local tag of the repository when
     * {@code tag} is empty (docker sends {@code tag=} for {@code push --all-tags}).
     */
    public void pushImage(String name, String tag, RegistryAuth auth, Consumer<JsonNode> onMessage) {
        pushImage(name, tag, null, auth, onMessage);
    }

    /** As above; {@code compression} ("gzip", "zstd", "none": berthd's own parameter) null for the daemon's gzip. */
    public void pushImage(String name, String tag, String compression, RegistryAuth auth, Consumer<JsonNode> onMessage) {
        Query q = Query.of().add("tag", tag == null ? "" : tag);
        if (compression != null) q = q.add("compression", compression);
        progress(new HttpRequest("POST", path("/images/" + Query.path(name) + "/push" + q),
                Map.of("X-Registry-Auth", auth.header()), RequestBody.EMPTY), onMessage);
    }

    // ---- build -------------------------------------------------------------------------------

    /**
     * POST /build with the context tar streamed as the body. Reports each message of the answer
     * ({@code stream} text, {@code aux} with the image id, pull {@code status}); an {@code error}
     * entry fails the call with a streamed {@link EngineApiException}.
     */
    public void build(BuildOptions options, InputStream tar, Consumer<JsonNode> onMessage) {
        progress(new HttpRequest("POST", path("/build" + options.query()), Map.of(), RequestBody.tar(tar)), onMessage);
    }

    /** POST /build/prune; returns {@code {"CachesDeleted": [...], "SpaceReclaimed": n}}. */
    public JsonNode pruneBuildCache(boolean all) {
        return sendJson("POST", "/build/prune" + Query.of().flag("all", all), null);
    }

    /**
     * POST /berth/system/check (berth's extension): {@code {"Problems": [{"Object", "Problem"}], "Repaired":
     * [{"Removed", "Size"}], "Notes": [...], "Checked": {...}}}; {@code repair} removes what nothing references.
     */
    public JsonNode systemCheck(boolean repair) {
        return sendJson("POST", "/berth/system/check" + Query.of().flag("repair", repair), null);
    }

    // ---- registry ----------------------------------------------------------------------------

    /** POST /auth: checks the credentials against the registry; {@code {"Status": ..., "IdentityToken": ...}}. */
    public JsonNode login(RegistryAuth auth) {
        return sendJson("POST", "/auth", auth.toJson());
    }

    // ---- volumes -----------------------------------------------------------------------------

    /** POST /volumes/create; a null name makes an anonymous volume. Returns the volume. */
    public JsonNode createVolume(String name, String driver, Map<String, String> labels, Map<String, String> options) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (name != null) body.put("Name", name);
        if (driver != null) body.put("Driver", driver);
        ObjectNode l = body.putObject("Labels");
        labels.forEach(l::put);
        ObjectNode o = body.putObject("DriverOpts");
        options.forEach(o::put);
        return sendJson("POST", "/volumes/create", body);
    }

    /** GET /volumes: {"Volumes": [...], "Warnings": ...}. */
    public JsonNode listVolumes(Map<String, List<String>> filters) {
        return getJson("/volumes" + Query.of().add("filters", filtersJson(filters)));
    }

    public JsonNode inspectVolume(String name) {
        return getJson("/volumes/" + Query.path(name));
    }

    public void removeVolume(String name, boolean force) {
        sendNoContent("DELETE", "/volumes/" + Query.path(name) + Query.of().flag("force", force));
    }

    /** POST /volumes/prune: {"VolumesDeleted": [...], "SpaceReclaimed": N}. */
    public JsonNode pruneVolumes(Map<String, List<String>> filters) {
        return sendJson("POST", "/volumes/prune" + Query.of().add("filters", filtersJson(filters)), null);
    }

    // ---- networks ----------------------------------------------------------------------------

    /** POST /networks/create with a NetworkCreateRequest body; returns {"Id": .., "Warning": ..}. */
    public JsonNode createNetwork(ObjectNode body) {
        return sendJson("POST", "/networks/create", body);
    }

    /** GET /networks: the list of networks. */
    public JsonNode listNetworks(Map<String, List<String>> filters) {
        return getJson("/networks" + Query.of().add("filters", filtersJson(filters)));
    }

    public JsonNode inspectNetwork(String ref) {
        return getJson("/networks/" + Query.path(ref));
    }

    public void removeNetwork(String ref) {
        sendNoContent("DELETE", "/networks/" + Query.path(ref));
    }

    /** POST /networks/prune: {"NetworksDeleted": [...]}. */
    public JsonNode pruneNetworks(Map<String, List<String>> filters) {
        return sendJson("POST", "/networks/prune" + Query.of().add("filters", filtersJson(filters)), null);
    }

    // ---- plumbing ----------------------------------------------------------------------------

    private String path(String p) {
        return "/v" + apiVersion() + p;
    }

    private JsonNode getJson(String p) {
        return readJson(http.send(HttpRequest.of("GET", path(p))));
    }

    private JsonNode sendJson(String method, String p, JsonNode body) {
        RequestBody requestBody = body == null ? RequestBody.EMPTY : RequestBody.json(JsonTree.write(body));
        return readJson(http.send(HttpRequest.of(method, path(p), requestBody)));
    }

    private void sendNoContent(String method, String p) {
        try (HttpResponse response = http.send(HttpRequest.of(method, path(p)))) {
            check(response);
            response.body().transferTo(OutputStreamSink.INSTANCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse stream(HttpRequest request) {
        HttpResponse response = http.send(request);
        check(response);
        return response;
    }

    private JsonLines jsonLines(HttpRequest request) {
        return new JsonLines(stream(request));
    }

    /** Reads a JSON-lines progress stream; an {@code error} entry fails the whole operation, as in docker. */
    private void progress(HttpRequest request, Consumer<JsonNode> onMessage) {
        try (JsonLines lines = jsonLines(request)) {
            while (lines.hasNext()) {
                JsonNode message = lines.next();
                if (message.hasNonNull("error") || message.has("errorDetail")) {
                    String text = message.path("errorDetail").path("message").asText(message.path("error").asText());
                    throw new EngineApiException(500, text, true);
                }
                onMessage.accept(message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(HttpResponse response) {
        try (response) {
            check(response);
            byte[] body = response.body().readAllBytes();
            if (body.length == 0) {
                return JsonNodeFactory.instance.nullNode();
            }
            return JsonTree.parse(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(HttpResponse response) {
        if (response.status() >= 400) {
            EngineApiException error = errorOf(response);
            try {
                response.close();
            } catch (IOException ignored) {
                // the API error is what the caller needs
            }
            throw error;
        }
    }

    /** Builds the exception from an error response: the {@code message} field, or the body text. */
    static EngineApiException errorOf(HttpResponse response) {
        String text;
        try {
            text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            text = "";
        }
        return new EngineApiException(response.status(), messageOf(text, response.status()));
    }

    static String messageOf(String body, int status) {
        if (body.startsWith("{")) {
            try {
                JsonNode node = JsonTree.parse(body.getBytes(StandardCharsets.UTF_8));
                if (node.hasNonNull("message")) {
                    return node.get("message").asText();
                }
            } catch (IOException e) {
                // not JSON after all: use the text as it is
            }
        }
        return body.isEmpty() ? "request failed with status " + status : body;
    }

    public static String filtersJson(Map<String, List<String>> filters) {
        if (filters == null || filters.isEmpty()) {
            return null;
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        filters.forEach((k, values) -> {
            var array = node.putArray(k);
            values.forEach(array::add);
        });
        return JsonTree.write(node);
    }

    /** Drains bodies nobody reads so the connection ends cleanly. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
