package io.berth.daemon.api;

import io.berth.store.GarbageCollector;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.berth.daemon.events.EventBus;
import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.ApiVersion;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.runtime.ContainerState;

/** /_ping, /version, /info, /events and /system/df. */
public final class SystemRoutes {
    private final ContainerService containers;
    private final ImageLookup images;
    private final EventBus events;
    private final EngineDescription description;
    private final GarbageCollector gc;
    private final Supplier<List<Map<String, Object>>> volumeUsage;
    private final Supplier<List<Map<String, Object>>> buildCache;

    /**
     * Facts about this daemon that /info and /version report: {@code id} is DATA-ROOT/engine-id, made once (as
     * dockerd 23+ keeps its own), so a client sees one daemon across restarts.
     */
    /** @param loggingDriver the daemon's default log driver (daemon.json log-driver; json-file when not set) */
    public record DaemonFacts(String id, Path dataRoot, String defaultRuntime, Map<String, Path> runtimes, Path conmon,
                              Path init, List<String> insecureRegistries, String loggingDriver) {
        public DaemonFacts(String id, Path dataRoot, String defaultRuntime, Map<String, Path> runtimes, Path conmon,
                           Path init, List<String> insecureRegistries) {
            this(id, dataRoot, defaultRuntime, runtimes, conmon, init, insecureRegistries, "json-file");
        }
    }

    public SystemRoutes(ContainerService containers, ImageLookup images, EventBus events, GarbageCollector gc,
                        Supplier<List<Map<String, Object>>> volumeUsage, Supplier<List<Map<String, Object>>> buildCache,
                        DaemonFacts facts) {
        this.buildCache = buildCache;
        this.volumeUsage = volumeUsage;
        this.gc = gc;
        this.containers = containers;
        this.images = images;
        this.events = events;
        this.description = new EngineDescription(facts, HostProbe.system());
    }

    public void register(Router router) {
        registerPing(router);
        router.add("GET", "/version", this::version)
              .add("GET", "/info", this::info)
              .add("GET", "/events", this::events)
              .add("GET", "/system/df", this::df);
    }

    /**
     * /_ping alone: it reports nothing that depends on the engine's state, so a starting berthd serves it from the
     * moment its socket is bound, before the wiring ({@link io.berth.daemon.http.StartingRoutes}).
     */
    public static void registerPing(Router router) {
        router.add("GET", "/_ping", SystemRoutes::ping).add("HEAD", "/_ping", SystemRoutes::ping);
    }

    private static void ping(HttpRequest rq, HttpResponse rs) throws IOException {
        rs.header("Cache-Control", "no-cache, no-store, must-revalidate").header("Pragma", "no-cache")
          .header("Builder-Version", "1")
          .send(200, "text/plain; charset=utf-8", "OK".getBytes(StandardCharsets.US_ASCII));
    }

    private void version(HttpRequest rq, HttpResponse rs) throws IOException {
        rs.json(200, description.version());
    }


    private void info(HttpRequest rq, HttpResponse rs) throws IOException {
        List<Container> all = containers.list();
        long running = all.stream().filter(c -> c.state().status() == ContainerState.Status.RUNNING).count();
        long paused = all.stream().filter(c -> c.state().status() == ContainerState.Status.PAUSED).count();
        rs.json(200, description.info(new EngineDescription.Counts(all.size(), running, paused, images.count(),
                events.listeners()), Instant.now()));
    }

    private void events(HttpRequest rq, HttpResponse rs) throws Exception {
        Instant since = DockerTime.parse(rq.queryParam("since"));
        Instant until = DockerTime.parse(rq.queryParam("until"));
        Filters filters = Filters.parse(rq.queryParam("filters"));
        try (EventBus.Subscription sub = events.subscribe(since == null ? null : since);
             OutputStream out = rs.stream(200, "application/json")) {
            for (EventBus.Event e : sub.past()) {
                if (until != null && e.time().isAfter(until)) return;
                if (accept(e, filters)) write(out, e);
            }
            while (true) {
                long wait = until == null ? 1000 : Math.max(1, until.toEpochMilli() - System.currentTimeMillis());
                if (until != null && Instant.now().isAfter(until)) return;
                EventBus.Event e = sub.next(Math.min(wait, 1000));
                if (e == null) continue;
                if (until != null && e.time().isAfter(until)) return;
                if (accept(e, filters)) write(out, e);
            }
        }
    }

    /**
     * Filters named after an object type keep the events whose actor's ID or name starts with one of their values,
     * as dockerd's; berth emits no plugin, node, service, secret or config events, so those filters keep nothing.
     * Like dockerd, a key it does not know filters nothing.
     */
    private static final List<String> ACTOR_FILTERS = List.of("network", "volume", "daemon", "plugin", "node", "service",
            "secret", "config");

    static boolean accept(EventBus.Event e, Filters f) {
        if (f.has("type") && !f.get("type").contains(e.type())) return false;
        if (f.has("scope") && !f.get("scope").contains("local")) return false;
        for (String key : ACTOR_FILTERS) {
            if (f.has(key) && f.get(key).stream().noneMatch(v -> e.actorId().startsWith(v)
                    || e.attributes().getOrDefault("name", "").startsWith(v))) return false;
        }
        if (f.has("event") && f.get("event").stream().noneMatch(x -> eventMatches(x, e.action()))) return false;
        if (f.has("container") && (!e.type().equals("container") || f.get("container").stream()
                .noneMatch(c -> e.actorId().startsWith(c) || c.equals(e.attributes().get("name"))))) return false;
        if (f.has("image") && f.get("image").stream().noneMatch(i -> i.equals(e.attributes().get("image")))) return false;
        return !f.has("label") || f.get("label").stream().allMatch(l -> Filters.labelMatches(l, e.attributes()));
    }

    /** Docker matches health_status, exec_create and exec_start by prefix: their actions carry a suffix ("health_status: healthy"). */
    private static boolean eventMatches(String wanted, String action) {
        boolean prefixed = wanted.equals("health_status") || wanted.equals("exec_create") || wanted.equals("exec_start");
        return prefixed ? action.startsWith(wanted) : action.equals(wanted);
    }

    private static void write(OutputStream out, EventBus.Event e) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", e.action());
        m.put("id", e.actorId());
        if (e.attributes().containsKey("image")) m.put("from", e.attributes().get("image"));
        m.put("Type", e.type());
        m.put("Action", e.action());
        m.put("Actor", Map.of("ID", e.actorId(), "Attributes", e.attributes()));
        m.put("scope", "local");
        m.put("time", e.time().getEpochSecond());
        m.put("timeNano", e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
        out.write((ApiJson.MAPPER.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** What {@code GET /system/df} reports: the {@code type} query's object types (API 1.42+), else all four. */
    enum DiskUsageType {
        CONTAINER, IMAGE, VOLUME, BUILD_CACHE;

        static java.util.Set<DiskUsageType> asked(List<String> types, String apiVersion) {
            if (types == null || types.isEmpty() || ApiVersion.before(apiVersion, 42)) return java.util.EnumSet.allOf(DiskUsageType.class);
            java.util.Set<DiskUsageType> asked = java.util.EnumSet.noneOf(DiskUsageType.class);
            for (String t : types) {
                asked.add(switch (t) {
                    case "container" -> CONTAINER;
                    case "image" -> IMAGE;
                    case "volume" -> VOLUME;
                    case "build-cache" -> BUILD_CACHE;
                    default -> throw new io.berth.oci.errors.InvalidArgumentException("unknown object type: " + t);
                });
            }
            return asked;
        }
    }

    /** docker system df; a type not asked for is null (LayersSize 0), as dockerd leaves it, and is not computed. */
    private void df(HttpRequest rq, HttpResponse rs) throws IOException {
        java.util.Set<DiskUsageType> asked = DiskUsageType.asked(rq.query().get("type"), rq.apiVersion());
        Map<String, Object> m = new LinkedHashMap<>();
        List<Container> all = containers.list();
        m.put("LayersSize", 0L);
        m.put("Images", null);
        GarbageCollector.Report unreferenced = null;
        if (asked.contains(DiskUsageType.IMAGE)) {
            Map<String, Long> users = all.stream().collect(java.util.stream.Collectors.groupingBy(c -> c.spec().imageId(),
                    java.util.stream.Collectors.counting()));
            var imageUsage = images.usage(users);
            // Content nothing references (a failed or killed load, pull or build; removed build cache records) is
            // image data a prune reclaims: it counts in the total, and no container uses it.
            unreferenced = gc.reclaimable();
            m.put("LayersSize", imageUsage.getValue() + unreferenced.bytes());
            m.put("Images", imageUsage.getKey());
        }
        ContainerView view = new ContainerView();
        m.put("Containers", asked.contains(DiskUsageType.CONTAINER)
                ? all.stream().map(c -> withSizes(view.summary(c), c, images)).toList() : null);
        m.put("Volumes", asked.contains(DiskUsageType.VOLUME) ? volumeUsage.get() : null);
        m.put("BuildCache", asked.contains(DiskUsageType.BUILD_CACHE) ? buildCache.get() : null);
        if (unreferenced != null) {
            m.put("BerthUnreferenced", Map.of("Count", unreferenced.removed().size(), "Size", unreferenced.bytes()));
        }
        rs.json(200, m);
    }

    /** SizeRw (the writable layer) and SizeRootFs (that and the image), as docker ps -s and system df show them. */
    static Map<String, Object> withSizes(Map<String, Object> json, Container c, ImageLookup images) {
        long rw = DiskUsage.sizeRw(c);
        json.put("SizeRw", rw);
        json.put("SizeRootFs", rw + images.imageSize(c.spec().imageId()));
        return json;
    }
}
