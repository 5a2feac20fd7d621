package io.berth.daemon.api;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.oci.Platform;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.ContainerState;

/** Container lifecycle endpoints: decode, call ContainerService, encode. Streams live in ContainerStreamRoutes. */
public final class ContainerRoutes {
    private static final int MAX_CREATE_BODY = 4 * 1024 * 1024;

    private final ContainerService containers;
    private final ImageLookup images;
    private final CreateRequestTranslator translator;
    private final ContainerVolumes volumes;
    private final ContainerView view;

    public ContainerRoutes(ContainerService containers, ImageLookup images) {
        this(containers, images, ContainerVolumes.NONE);
    }

    public ContainerRoutes(ContainerService containers, ImageLookup images, ContainerVolumes volumes) {
        this(containers, images, volumes, NetworkResolver.PREDEFINED, NetworkStatusSource.NONE);
    }

    /**
     * @param networks finds the networks a create names, and the predefined ones inspect shows
     * @param networkStatus what a running container's networks became (addresses, picked host ports)
     */
    public ContainerRoutes(ContainerService containers, ImageLookup images, ContainerVolumes volumes,
                           NetworkResolver networks, NetworkStatusSource networkStatus) {
        this(containers, images, volumes, networks, networkStatus, io.berth.runtime.LogSettings.JSON_FILE);
    }

    /** @param defaultLog the daemon's log driver and options, for creates that name none */
    public ContainerRoutes(ContainerService containers, ImageLookup images, ContainerVolumes volumes,
                           NetworkResolver networks, NetworkStatusSource networkStatus, io.berth.runtime.LogSettings defaultLog) {
        this.translator = new CreateRequestTranslator(volumes, networks, c -> containers.inspect(c).spec().id(), defaultLog);
        this.view = new ContainerView(networks, networkStatus, id -> {
            try {
                return java.util.Optional.of(containers.inspect(id).name());
            } catch (io.berth.oci.errors.NotFoundException e) {
                return java.util.Optional.empty();
            }
        });
        this.volumes = volumes;
        this.containers = containers;
        this.images = images;
    }

    public void register(Router router) {
        router.add("GET", "/containers/json", this::list)
              .add("POST", "/containers/create", this::create)
              .add("POST", "/containers/prune", this::prune)
              .add("GET", "/containers/{id}/json", this::inspect)
              .add("POST", "/containers/{id}/start", this::start)
              .add("POST", "/containers/{id}/stop", this::stop)
              .add("POST", "/containers/{id}/restart", this::restart)
              .add("POST", "/containers/{id}/kill", this::kill)
              .add("POST", "/containers/{id}/pause", (rq, rs) -> { containers.pause(rq.pathParam("id")); rs.empty(204); })
              .add("POST", "/containers/{id}/unpause", (rq, rs) -> { containers.unpause(rq.pathParam("id")); rs.empty(204); })
              .add("POST", "/containers/{id}/rename", this::rename)
              .add("POST", "/containers/{id}/wait", this::waitFor)
              .add("DELETE", "/containers/{id}", this::remove)
              // docker rm --link /web/db: the link's name is a path (the CLI trims its leading "/")
              .add("DELETE", "/containers/{parent}/{alias}", (rq, rs) -> removeLink(rq, rq.pathParam("parent") + "/" + rq.pathParam("alias"), rs))
              .add("GET", "/containers/{id}/top", this::top);
    }

    private void list(HttpRequest rq, HttpResponse rs) throws Exception {
        Filters filters = Filters.parse(rq.queryParam("filters"))
                .allowOnly("status", "name", "id", "label", "ancestor", "exited", "before", "since", "network", "publish", "expose",
                        "health", "volume");
        PortFilter publish = PortFilter.parse("publish", filters.get("publish"));
        PortFilter expose = PortFilter.parse("expose", filters.get("expose"));
        for (String h : filters.has("health") ? filters.get("health") : List.<String>of()) {
            if (!List.of("starting", "healthy", "unhealthy", "none").contains(h)) {
                throw new InvalidArgumentException("Unrecognised filter value for health: " + h);
            }
        }
        boolean all = rq.queryFlag("all") || filters.has("status") || filters.has("exited");
        Integer limit = rq.queryInt("limit");
        // before=/since= name a container (404 when there is none): created before or after it, as dockerd
        java.time.Instant before = filters.has("before") ? containers.inspect(filters.get("before").getLast()).spec().created() : null;
        java.time.Instant since = filters.has("since") ? containers.inspect(filters.get("since").getLast()).spec().created() : null;
        List<Container> matching = new ArrayList<>();
        for (Container c : containers.list()) {
            if (before != null && !c.spec().created().isBefore(before)) continue;
            if (since != null && !c.spec().created().isAfter(since)) continue;
            ContainerState.Status st = c.state().status();
            boolean running = st == ContainerState.Status.RUNNING || st == ContainerState.Status.PAUSED
                    || st == ContainerState.Status.RESTARTING;
            if (!all && !running && (limit == null || limit <= 0)) continue;
            if (matches(c, filters) && publish.matchesAny(publishedPorts(c.spec())) && expose.matchesAny(c.spec().network().exposed())) {
                matching.add(c);
            }
        }
        matching.sort(Comparator.comparing((Container c) -> c.spec().created()).reversed());
        if (limit != null && limit > 0 && matching.size() > limit) matching = matching.subList(0, limit);
        boolean size = rq.queryFlag("size");
        rs.json(200, matching.stream().map(c -> size ? SystemRoutes.withSizes(view.summary(c), c, images) : view.summary(c)).toList());
    }

    private boolean matches(Container c, Filters f) {
        ContainerSpec spec = c.spec();
        if (f.has("status") && !f.get("status").contains(ContainerView.status(c.state()))) return false;
        if (f.has("name") && f.get("name").stream().noneMatch(n -> c.name().matches(".*" + n.replaceFirst("^/", "") + ".*"))) return false;
        if (f.has("id") && f.get("id").stream().noneMatch(spec.id()::startsWith)) return false;
        if (f.has("health") && !f.get("health").contains(ContainerView.healthStatus(c))) return false;
        if (f.has("label") && !f.get("label").stream().allMatch(l -> Filters.labelMatches(l, spec.labels()))) return false;
        if (f.has("exited")) {
            if (c.state().status() != ContainerState.Status.EXITED) return false;
            if (f.get("exited").stream().noneMatch(x -> x.equals(Integer.toString(c.state().exitCode())))) return false;
        }
        if (f.has("network") && f.get("network").stream().noneMatch(n -> onNetwork(spec, n))) return false;
        if (f.has("volume") && f.get("volume").stream().noneMatch(v -> mounts(spec, v))) return false;
        if (f.has("ancestor")) {
            boolean any = false;
            for (String a : f.get("ancestor")) {
                any |= a.equals(spec.image()) || images.find(a).map(img -> img.imageId().equals(spec.imageId())).orElse(false);
            }
            if (!any) return false;
        }
        return true;
    }

    /** Docker's volume filter: a mount's volume name (a bind's source, which has none) or its destination. */
    private static boolean mounts(ContainerSpec spec, String wanted) {
        return spec.mounts().mounts().stream().anyMatch(m -> wanted.equals(m.destination())
                || wanted.equals(m.kind() == io.berth.runtime.MountPoint.Kind.VOLUME ? m.volume() : m.source()));
    }

    /** Docker's network filter: a network's name, or its id or a prefix of it. */
    private static boolean onNetwork(ContainerSpec spec, String wanted) {
        var net = spec.network();
        if (net.isHost() || net.isNone()) return net.mode().equals(wanted);
        return net.attachments().stream().anyMatch(a -> a.network().equals(wanted) || (!wanted.isEmpty() && a.networkId().startsWith(wanted)));
    }

    /** The container ports a container publishes (HostConfig.PortBindings keys, as Docker's publish filter reads them). */
    private static List<String> publishedPorts(ContainerSpec spec) {
        return spec.network().ports().stream().map(p -> p.containerPort() + "/" + p.protocol()).distinct().toList();
    }

    private void create(HttpRequest rq, HttpResponse rs) throws Exception {
        JsonNode body = JsonBody.read(rq, MAX_CREATE_BODY);
        BodyTypes.create(body);
        String image = body.path("Image").asText("");
        if (image.isEmpty()) throw new InvalidArgumentException("no image specified");
        String name = ContainerNames.validate(rq.queryParam("name"));
        Platform platform = platform(rq.queryParam("platform"));
        String id = ContainerNames.newId();
        // The image cannot be removed between its lookup and the container's registration.
        List<String> warnings = new ArrayList<>();
        if (platform == null) images.foreignPlatformWarning(image).ifPresent(warnings::add);
        Container created = images.withImage(image, platform, (defaults, lowerDirs) -> {
            var translated = translator.translate(id, name == null ? ContainerNames.random() : name, body, defaults, lowerDirs,
                    rq.apiVersion());
            ContainerSpec spec = translated.spec();
            warnings.addAll(translated.warnings());
            try {
                return containers.create(spec);
            } catch (RuntimeException e) {
                // a name already taken, a full disk: the anonymous volumes made for this container go with it
                volumes.removeAnonymous(spec);
                throw e;
            }
        });
        rs.json(201, Map.of("Id", created.spec().id(), "Warnings", warnings));
    }

    /** The create's {@code platform} query (API 1.41+), null when absent or empty. */
    static Platform platform(String query) {
        if (query == null || query.isBlank()) return null;
        try {
            return Platform.parse(query);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
    }

    private void inspect(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.inspect(rq.pathParam("id"));
        Map<String, Object> json = view.inspect(c, List.of());
        if (rq.queryFlag("size")) SystemRoutes.withSizes(json, c, images);
        rs.json(200, json);
    }

    private void start(HttpRequest rq, HttpResponse rs) throws Exception {
        // a restore from a CRIU checkpoint (an experimental dockerd's): refused, never turned into a plain start
        for (String checkpoint : List.of("checkpoint", "checkpoint-dir")) {
            if (!rq.queryParam(checkpoint, "").isEmpty()) {
                throw new InvalidArgumentException("berth does not support starting from a checkpoint (" + checkpoint + ")");
            }
        }
        containers.start(rq.pathParam("id"));
        rs.empty(204);
    }

    private void stop(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.inspect(rq.pathParam("id"));
        // A restarting container is waiting out its backoff: stopping it cancels the restart, as in Docker.
        if (!isRunning(c) && c.state().status() != ContainerState.Status.RESTARTING) {
            rs.empty(304);
            return;
        }
        containers.stop(c.spec().id(), rq.queryInt("t"), rq.queryParam("signal"));
        rs.empty(204);
    }

    private void restart(HttpRequest rq, HttpResponse rs) throws Exception {
        containers.restart(rq.pathParam("id"), rq.queryInt("t"), rq.queryParam("signal"));
        rs.empty(204);
    }

    private void kill(HttpRequest rq, HttpResponse rs) throws Exception {
        containers.kill(rq.pathParam("id"), rq.queryParam("signal"));
        rs.empty(204);
    }

    private void rename(HttpRequest rq, HttpResponse rs) throws Exception {
        String name = ContainerNames.validate(rq.queryParam("name"));
        if (name == null) throw new InvalidArgumentException("Neither old nor new names may be empty");
        containers.rename(rq.pathParam("id"), name);
        rs.empty(204);
    }

    /** Headers go out at once (clients wait for them before starting the container); the body at exit. */
    private void waitFor(HttpRequest rq, HttpResponse rs) throws Exception {
        String condition = rq.queryParam("condition", "not-running");
        if (!List.of("not-running", "next-exit", "removed").contains(condition)) {
            throw new InvalidArgumentException("invalid condition: " + condition);
        }
        String id = containers.inspect(rq.pathParam("id")).spec().id();
        try (OutputStream out = rs.stream(200, "application/json")) {
            Map<String, Object> result = new LinkedHashMap<>();
            try {
                result.put("StatusCode", containers.waitForExit(id, condition));
                result.put("Error", null);
            } catch (RuntimeException e) {
                result.put("StatusCode", -1);
                result.put("Error", Map.of("Message", String.valueOf(e.getMessage())));
            }
            out.write((ApiJson.MAPPER.writeValueAsString(result) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void remove(HttpRequest rq, HttpResponse rs) throws Exception {
        // `docker rm --link NAME` removes a link, not the container NAME: never taken as a plain removal
        if (rq.queryFlag("link")) {
            removeLink(rq, rq.pathParam("id"), rs);
            return;
        }
        ContainerSpec spec = containers.inspect(rq.pathParam("id")).spec();
        containers.remove(spec.id(), rq.queryFlag("force"));
        if (rq.queryFlag("v")) volumes.removeAnonymous(spec);
        rs.empty(204);
    }

    /**
     * Removes the link named "/PARENT/ALIAS" from PARENT, as Docker's rm --link: the linked container stays. The link
     * is gone from the next start of PARENT on (a running PARENT keeps its /etc/hosts line and variables).
     */
    private void removeLink(HttpRequest rq, String given, HttpResponse rs) throws Exception {
        if (!rq.queryFlag("link")) throw new io.berth.oci.errors.NotFoundException("No such container: " + given);
        String name = given.startsWith("/") ? given : "/" + given;
        int slash = name.lastIndexOf('/');
        if (slash == 0) throw new InvalidArgumentException("Conflict, cannot remove the default link name of the container");
        String parent = name.substring(1, slash);
        String alias = name.substring(slash + 1);
        Container p;
        try {
            p = containers.inspect(parent);
        } catch (io.berth.oci.errors.NotFoundException e) {
            throw new io.berth.oci.errors.NotFoundException("No such container: " + given);
        }
        containers.changeNetwork(p.id(), c -> {
            var links = c.spec().network().links();
            var rest = links.stream().filter(l -> !l.alias().equals(alias)).toList();
            if (rest.size() == links.size()) throw new io.berth.oci.errors.NotFoundException("No such container: " + given);
            return c.spec().network().withLinks(rest);
        });
        rs.empty(204);
    }

    private void prune(HttpRequest rq, HttpResponse rs) throws Exception {
        Filters filters = Filters.parse(rq.queryParam("filters")).allowOnly("label", "label!", "until");
        java.time.Instant until = filters.has("until") ? PruneUntil.parse(filters.get("until").getLast(), java.time.Instant.now()) : null;
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Container c : containers.list()) {
            ContainerState.Status st = c.state().status();
            if (st != ContainerState.Status.EXITED && st != ContainerState.Status.CREATED && st != ContainerState.Status.DEAD) continue;
            if (!filters.get("label").stream().allMatch(l -> Filters.labelMatches(l, c.spec().labels()))) continue;
            if (filters.get("label!").stream().anyMatch(l -> Filters.labelMatches(l, c.spec().labels()))) continue;
            if (until != null && !c.spec().created().isBefore(until)) continue;
            // the space is the container's writable layer, as Docker counts it
            long size = java.nio.file.Files.isDirectory(c.upperDir()) ? io.berth.store.DirectoryTrees.diskUsage(c.upperDir()) : 0;
            containers.remove(c.spec().id(), false);
            deleted.add(c.spec().id());
            reclaimed += size;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ContainersDeleted", deleted.isEmpty() ? null : deleted);
        result.put("SpaceReclaimed", reclaimed);
        rs.json(200, result);
    }

    private void top(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.inspect(rq.pathParam("id"));
        if (!isRunning(c)) throw new io.berth.oci.errors.ConflictException("Container " + c.spec().id() + " is not running");
        List<List<String>> table = containers.top(c.spec().id(), rq.queryParam("ps_args", "-ef"));
        rs.json(200, Map.of("Titles", table.getFirst(), "Processes", table.subList(1, table.size())));
    }

    static boolean isRunning(Container c) {
        ContainerState.Status st = c.state().status();
        return st == ContainerState.Status.RUNNING || st == ContainerState.Status.PAUSED;
    }
}
