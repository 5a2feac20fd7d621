package io.berth.daemon.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.build.context.BuildContext;
import io.berth.build.exec.BuildOutput;
import io.berth.build.exec.BuildRequest;
import io.berth.build.exec.BuildResult;
import io.berth.build.exec.ImageBuilder;
import io.berth.daemon.events.EventBus;
import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.store.GarbageCollector;
import io.berth.store.Lease;
import io.berth.store.Leases;
import io.berth.oci.Digest;
import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;

/**
 * The classic builder API: POST /build (a tar context in the body, JSON-lines output) and POST /build/prune.
 * The context is unpacked into a scratch directory under the data root that is removed after the build.
 */
public final class BuildRoutes {
    private final ImageBuilder builder;
    private final Path scratchRoot;
    private final EventBus events;
    private final Leases leases;
    private final GarbageCollector gc;
    private final ResourceLimits limits = new ResourceLimits(Runtime.getRuntime().availableProcessors());

    public BuildRoutes(ImageBuilder builder, Path scratchRoot, EventBus events, Leases leases, GarbageCollector gc) {
        this.builder = builder;
        this.scratchRoot = scratchRoot;
        this.events = events;
        this.leases = leases;
        this.gc = gc;
    }

    public void register(Router router) {
        router.add("POST", "/build", this::build)
              .add("POST", "/build/prune", this::prune);
    }

    private void build(HttpRequest rq, HttpResponse rs) throws Exception {
        // Held from before the context lands in the scratch dir, so a concurrent prune leaves that dir alone.
        try (Lease lease = leases.acquire("build context")) {
            buildLeased(rq, rs);
        }
    }

    private void buildLeased(HttpRequest rq, HttpResponse rs) throws Exception {
        String remote = rq.queryParam("remote", "");
        if (!remote.isEmpty()) throw new InvalidArgumentException("remote build contexts are not supported: send the context as a tar");
        BuildRunOptions run = BuildRunOptions.from(rq.query(), limits);
        Files.createDirectories(scratchRoot);
        Path scratch = Files.createTempDirectory(scratchRoot, "ctx-");
        boolean quiet = rq.queryFlag("q");
        try (BuildContext context = BuildContext.fromTar(rq.body(), scratch)) {
            try {
                context.readDockerfile(rq.queryParam("dockerfile"));
            } catch (NotFoundException e) {
                // dockerd's classic builder answers a missing Dockerfile with a 500 before any output
                throw new SystemFailureException(e.getMessage(), e);
            }
            build(rq, context, quiet, run, new ProgressStream(rs));
        }
    }

    private void build(HttpRequest rq, BuildContext context, boolean quiet, BuildRunOptions run, ProgressStream stream) throws Exception {
        try (ProgressStream progress = stream) {
            BuildRequest request = new BuildRequest(context, rq.queryParam("dockerfile"), stringMap(rq.queryParam("buildargs")),
                    rq.queryParam("target"), rq.query().getOrDefault("t", List.of()), stringMap(rq.queryParam("labels")),
                    rq.queryFlag("nocache"), rq.queryFlag("pull"), stringList(rq.queryParam("cachefrom")),
                    networkMode(rq.queryParam("networkmode")), sourceDateEpoch(rq), quiet, run.extraHosts(), run.resources());
            try {
                BuildResult result = builder.build(request, new BuildOutput() {
                    @Override
                    public void line(String text) {
                        if (!quiet) progress.stream(text + "\n");
                    }

                    @Override
                    public void aux(Digest imageId) {
                        progress.aux(Map.of("ID", imageId.toString()));
                    }
                });
                if (quiet) progress.stream(result.imageId() + "\n");
                events.publish("image", "build", result.imageId().toString(), Map.of());
            } catch (BerthException e) {
                // Docker reports build failures in the stream (status 200), so the client prints the step's error.
                progress.error(e.getMessage());
            }
        }
    }

    /**
     * `docker builder prune` and the build-cache step of `docker system prune`: `all`, the `until` filter (and
     * its alias `unused-for`); a size bound (keep-storage and its successors) is refused by name, since the cache
     * records berth keeps have no size of their own (their layers are shared blobs, freed by the collector).
     */
    private void prune(HttpRequest rq, HttpResponse rs) throws Exception {
        for (String bound : List.of("keep-storage", "reserved-space", "max-used-space", "min-free-space")) {
            String v = rq.queryParam(bound, "0");
            if (!v.isEmpty() && !v.equals("0")) throw new InvalidArgumentException("berth does not support " + bound + " for build cache prune");
        }
        Filters filters = Filters.parse(rq.queryParam("filters")).allowOnly("until", "unused-for");
        Instant until = null;
        for (String key : List.of("until", "unused-for")) {
            if (filters.has(key)) until = PruneUntil.parse(filters.get(key).getLast(), Instant.now());
        }
        List<String> removed = builder.prune(rq.queryFlag("all"), until);
        long reclaimed = gc.collect().bytes();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CachesDeleted", removed.isEmpty() ? null : removed);
        m.put("SpaceReclaimed", reclaimed);
        rs.json(200, m);
    }

    /** /system/df's BuildCache: berth's step records in the shape of BuildKit's cache records, which Docker lists. */
    public static List<Map<String, Object>> diskUsage(ImageBuilder builder) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ImageBuilder.CacheRecord r : builder.cacheRecords()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ID", r.id());
            m.put("Parent", "");
            m.put("Parents", List.of());
            m.put("Type", "regular");
            m.put("Description", r.description());
            m.put("InUse", false);
            m.put("Shared", r.shared());
            m.put("Size", r.size());
            m.put("CreatedAt", r.lastUsed().toString());
            m.put("LastUsedAt", r.lastUsed().toString());
            m.put("UsageCount", 1);
            out.add(m);
        }
        return out;
    }

    /** SOURCE_DATE_EPOCH arrives as a build arg (BuildKit's convention); the classic API has no field for it. */
    private static Long sourceDateEpoch(HttpRequest rq) {
        String v = stringMap(rq.queryParam("buildargs")).get("SOURCE_DATE_EPOCH");
        if (v == null || v.isEmpty()) return null;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("SOURCE_DATE_EPOCH must be a number of seconds: " + v);
        }
    }

    /** The RUN containers' network, as the classic builder takes it: default (the bridge network), none or host. */
    static String networkMode(String mode) {
        if (mode == null || mode.isEmpty() || mode.equals("default") || mode.equals("bridge")) return "default";
        if (mode.equals("none") || mode.equals("host")) return mode;
        throw new InvalidArgumentException("berth does not support build --network=" + mode + " yet (use default, none or host)");
    }

    private static Map<String, String> stringMap(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) return out;
        JsonNode node = parse(json);
        if (!node.isObject()) throw new InvalidArgumentException("expected a JSON object: " + json);
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return out;
    }

    private static List<String> stringList(String json) {
        if (json == null || json.isBlank()) return List.of();
        JsonNode node = parse(json);
        if (!node.isArray()) throw new InvalidArgumentException("expected a JSON array: " + json);
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode parse(String json) {
        try {
            return ApiJson.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new InvalidArgumentException("invalid JSON in query: " + json);
        }
    }
}
