package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.client.BuildOptions;
import io.berth.client.EngineApiException;
import io.berth.client.EngineClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The project's life cycle against the Engine API: converge (up), stop, start, remove (down), build and
 * pull, with Compose's names, labels and config-hash rule (unchanged containers are left alone).
 */
public final class Compose {
    private final Project project;
    private final ComposeRuntime rt;
    private final EngineClient client;
    private final NetworkApi networks;

    public Compose(Project project, ComposeRuntime rt) {
        this.project = project;
        this.rt = rt;
        this.client = rt.client();
        this.networks = new NetworkApi(rt.client());
    }

    public Project project() {
        return project;
    }

    // ---- containers of the project ------------------------------------------------------------

    /** The project's containers (not one-off ones unless asked), by service then number. */
    public List<JsonNode> containers(boolean all, boolean oneoff, List<String> services) {
        Map<String, List<String>> filters = new HashMap<>();
        List<String> labels = new ArrayList<>(List.of(Labels.PROJECT + "=" + project.name()));
        if (!oneoff) labels.add(Labels.ONEOFF + "=False");
        filters.put("label", labels);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : client.listContainers(all, 0, false, filters)) {
            String service = c.path("Labels").path(Labels.SERVICE).asText();
            if (services.isEmpty() || services.contains(service)) out.add(c);
        }
        out.sort(Comparator.comparing((JsonNode c) -> c.path("Labels").path(Labels.SERVICE).asText())
                .thenComparingInt(Compose::number));
        return out;
    }

    /** The project's containers as listed last in this command; null once this command changed them. */
    private List<JsonNode> listed;

    /**
     * The project's service containers in every state, listed once and again only after this command created,
     * started, stopped or removed one: an {@code up} with nothing to change makes one list request.
     */
    private List<JsonNode> current() {
        if (listed == null) listed = containers(true, false, List.of());
        return listed;
    }

    private void changed() {
        listed = null;
    }

    static int number(JsonNode c) {
        try {
            return Integer.parseInt(c.path("Labels").path(Labels.NUMBER).asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String name(JsonNode c) {
        JsonNode names = c.path("Names");
        String n = names.isArray() && !names.isEmpty() ? names.get(0).asText() : c.path("Name").asText();
        return n.startsWith("/") ? n.substring(1) : n;
    }

    private List<JsonNode> ofService(List<JsonNode> containers, String service) {
        return containers.stream().filter(c -> c.path("Labels").path(Labels.SERVICE).asText().equals(service)).toList();
    }

    // ---- up ---------------------------------------------------------------------------------

    public record UpOptions(List<String> services, boolean build, boolean noBuild, boolean forceRecreate, boolean noRecreate,
                            boolean removeOrphans, Map<String, Integer> scale, boolean noStart, boolean noDeps) {}

    /** Creates what is missing, recreates what changed, starts what is stopped; returns the containers touched. */
    public List<String> up(UpOptions o) {
        List<String> order = o.noDeps() ? o.services() : project.startOrder(o.services());
        if (order.isEmpty()) order = project.startOrder(List.of());
        for (String s : order) ContainerSpec.checkSupported(s, project.service(s));
        for (String s : o.scale().keySet()) project.service(s);
        Progress progress = new Progress(rt.err(), rt.stderrTty(), "Running");
        orphans(o.removeOrphans(), progress);
        ensureNetworks(order, progress);
        ensureVolumes(order, progress);
        for (String s : order) ensureImage(s, o.build(), o.noBuild());
        List<String> touched = new ArrayList<>();
        for (String s : order) {
            awaitDependencies(s, order, progress);
            touched.addAll(converge(s, replicas(s, o.scale()), o, progress));
        }
        if (!o.noStart()) restartStoppedDependents(progress);
        return touched;
    }

    /** Containers of {@code restart: true} dependents stopped while up recreated what they depend on. */
    private final Map<String, String> stoppedDependents = new LinkedHashMap<>();

    /**
     * Before a service's container is recreated, its {@code depends_on: {S: {restart: true}}} dependents are
     * stopped, as Compose v2 does, so that they start again after it (and see the new container).
     */
    private void stopRestartDependents(String service, Progress progress) {
        for (String d : project.restartDependents(service)) {
            parallel(ofService(current(), d).stream().filter(c -> c.path("State").asText().equals("running")).toList(), c -> {
                progress.working("Container", name(c), "Stopping");
                stopQuietly(c.path("Id").asText(), stopTimeout(d));
                progress.done("Container", name(c), "Stopped");
                synchronized (stoppedDependents) {
                    stoppedDependents.put(c.path("Id").asText(), d);
                }
            });
            changed();
        }
    }

    /** Starts the dependents stopped for a recreate that up did not start again itself (not among its services). */
    private void restartStoppedDependents(Progress progress) {
        for (var e : stoppedDependents.entrySet()) {
            current().stream().filter(c -> c.path("Id").asText().equals(e.getKey()) && !c.path("State").asText().equals("running"))
                    .findFirst().ifPresent(c -> {
                        awaitDependencies(e.getValue(), List.of(), progress);
                        start(e.getKey(), name(c), progress);
                    });
        }
    }

    int replicas(String service, Map<String, Integer> scale) {
        if (scale.containsKey(service)) return scale.get(service);
        JsonNode s = project.service(service);
        if (s.has("scale")) return s.get("scale").asInt();
        if (s.path("deploy").has("replicas")) return s.path("deploy").get("replicas").asInt();
        return 1;
    }

    /** Removes the project's containers whose service the model no longer has ({@code kill --remove-orphans}). */
    public void removeOrphans() {
        orphans(true, new Progress(rt.err(), rt.stderrTty(), "Removing"));
    }

    private void orphans(boolean remove, Progress progress) {
        List<JsonNode> orphans = current().stream()
                .filter(c -> !project.services().has(c.path("Labels").path(Labels.SERVICE).asText())).toList();
        if (orphans.isEmpty()) return;
        if (!remove) {
            rt.err().println("WARN[0000] Found orphan containers (" + String.join(", ", orphans.stream().map(Compose::name).toList())
                    + ") for this project. If you removed or renamed this service in your compose file, you can run this command"
                    + " with the --remove-orphans flag to clean it up.");
            return;
        }
        for (JsonNode c : orphans) removeContainer(c, false, null, progress);
    }

    private void ensureNetworks(List<String> services, Progress progress) {
        Set<String> used = new LinkedHashSet<>();
        for (String s : services) project.service(s).path("networks").fieldNames().forEachRemaining(used::add);
        for (String key : used) {
            JsonNode def = project.section("networks").path(key);
            String name = def.path("name").asText();
            JsonNode existing;
            try {
                existing = networks.find(name);
            } catch (EngineApiException e) {
                throw noNetworkApi(e);
            }
            if (def.path("external").asBoolean(false)) {
                if (existing == null) throw new ComposeException("network " + name + " declared as external, but could not be found");
                continue;
            }
            if (existing != null) continue;
            Map<String, String> labels = new LinkedHashMap<>();
            def.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            labels.put(Labels.NETWORK, key);
            labels.put(Labels.PROJECT, project.name());
            labels.put(Labels.VERSION, Labels.COMPOSE_VERSION);
            for (String k : ProjectLoader.names((ObjectNode) def)) {
                if (!java.util.Set.of("name", "driver", "driver_opts", "labels", "internal", "attachable", "enable_ipv6", "ipam",
                        "external").contains(k) && !k.startsWith("x-")) {
                    throw new ComposeException("networks." + key + ": \"" + k + "\" is not supported by berth compose (see docs/compose.md)");
                }
            }
            progress.working("Network", name, "Creating");
            try {
                networks.create(name, def.path("driver").isMissingNode() ? null : def.path("driver").asText(), labels, def);
            } catch (EngineApiException e) {
                throw e.status() == 404 ? noNetworkApi(e) : new ComposeException("Error response from daemon: " + e.getMessage());
            }
            progress.done("Network", name, "Created");
        }
    }

    static ComposeException noNetworkApi(EngineApiException e) {
        return new ComposeException("the daemon has no /networks API (" + e.status() + ": " + e.getMessage()
                + "); use network_mode: none or host for every service until it does");
    }

    private void ensureVolumes(List<String> services, Progress progress) {
        Set<String> used = new LinkedHashSet<>();
        for (String s : services) {
            for (JsonNode v : project.service(s).path("volumes")) {
                if (v.path("type").asText().equals("volume") && v.hasNonNull("source")) used.add(v.get("source").asText());
            }
        }
        for (String key : used) {
            JsonNode def = project.section("volumes").path(key);
            String name = def.path("name").asText();
            boolean exists;
            try {
                client.inspectVolume(name);
                exists = true;
            } catch (EngineApiException e) {
                if (e.status() != 404) throw e;
                exists = false;
            }
            if (def.path("external").asBoolean(false)) {
                if (!exists) throw new ComposeException("external volume \"" + name + "\" not found");
                continue;
            }
            if (exists) continue;
            Map<String, String> labels = new LinkedHashMap<>();
            def.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            labels.put(Labels.PROJECT, project.name());
            labels.put(Labels.VERSION, Labels.COMPOSE_VERSION);
            labels.put(Labels.VOLUME, key);
            Map<String, String> opts = new LinkedHashMap<>();
            def.path("driver_opts").properties().forEach(e -> opts.put(e.getKey(), e.getValue().asText()));
            progress.working("Volume", name, "Creating");
            client.createVolume(name, def.hasNonNull("driver") ? def.get("driver").asText() : null, labels, opts);
            progress.done("Volume", name, "Created");
        }
    }

    // ---- images -----------------------------------------------------------------------------

    void ensureImage(String service, boolean forceBuild, boolean noBuild) {
        JsonNode s = project.service(service);
        String image = ContainerSpec.imageOf(project, service);
        boolean canBuild = s.has("build");
        if (canBuild && forceBuild) {
            build(service);
            return;
        }
        if (imageExists(image)) {
            if (!"always".equals(s.path("pull_policy").asText())) return;
        }
        if (canBuild && !noBuild && !"always".equals(s.path("pull_policy").asText())) {
            build(service);
        } else if (canBuild && noBuild && !s.has("image")) {
            throw new ComposeException("service \"" + service + "\" has no image " + image + " and --no-build was given");
        } else {
            pull(service);
        }
    }

    /** Image inspections by reference, asked once per command (services often share one); a build or pull drops its entry. */
    private final Map<String, java.util.Optional<JsonNode>> images = new HashMap<>();

    private java.util.Optional<JsonNode> inspectImage(String image) {
        return images.computeIfAbsent(image, ref -> {
            try {
                return java.util.Optional.of(client.inspectImage(ref));
            } catch (EngineApiException e) {
                if (e.status() == 404) return java.util.Optional.empty();
                throw e;
            }
        });
    }

    /** The id of the image the service runs now (after build or pull). */
    String imageId(String service) {
        return inspectImage(ContainerSpec.imageOf(project, service)).map(i -> i.path("Id").asText(null)).orElse(null);
    }

    private boolean imageExists(String image) {
        return inspectImage(image).isPresent();
    }

    public void pull(String service) {
        JsonNode s = project.service(service);
        if (!s.hasNonNull("image")) return;
        String image = s.get("image").asText();
        Progress progress = new Progress(rt.err(), rt.stderrTty(), "Pulling");
        progress.working(service, "", "Pulling");
        String[] ref = nameAndTag(image);
        try {
            client.pullImage(ref[0], ref[1], s.hasNonNull("platform") ? s.get("platform").asText() : null, rt.auth().apply(image), m -> { });
        } catch (EngineApiException e) {
            throw new ComposeException("Error response from daemon: " + e.getMessage());
        }
        images.remove(image);
        progress.done(service, "", "Pulled");
    }

    /** Splits an image reference as the API takes it: name and tag (or digest; "latest" when neither). */
    static String[] nameAndTag(String image) {
        int at = image.indexOf('@');
        if (at >= 0) return new String[] {image.substring(0, at), image.substring(at + 1)};
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) return new String[] {image.substring(0, colon), image.substring(colon + 1)};
        return new String[] {image, "latest"};
    }

    public void push(String service) {
        JsonNode s = project.service(service);
        if (!s.hasNonNull("image")) return; // Compose pushes only services that name their image
        String image = s.get("image").asText();
        String[] ref = nameAndTag(image);
        Progress progress = new Progress(rt.err(), rt.stderrTty(), "Pushing");
        progress.working("Image", image, "Pushing");
        try {
            client.pushImage(ref[0], ref[1], rt.auth().apply(image), m -> { });
        } catch (EngineApiException e) {
            throw new ComposeException("Error response from daemon: " + e.getMessage());
        }
        progress.done("Image", image, "Pushed");
    }

    public void build(String service) {
        JsonNode b = project.service(service).get("build");
        if (b == null) return;
        for (String k : ProjectLoader.names((ObjectNode) b)) {
            if (!Set.of("context", "dockerfile", "args", "target", "cache_from", "labels", "network", "no_cache", "pull").contains(k)) {
                throw new ComposeException("service \"" + service + "\": \"build." + k + "\" is not supported by berth compose (see docs/compose.md)");
            }
        }
        String image = ContainerSpec.imageOf(project, service);
        Map<String, String> args = new LinkedHashMap<>();
        b.path("args").properties().forEach(e -> args.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        Map<String, String> labels = new LinkedHashMap<>();
        b.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        labels.put(Labels.PROJECT, project.name());
        labels.put(Labels.SERVICE, service);
        labels.put(Labels.VERSION, Labels.COMPOSE_VERSION);
        List<String> cacheFrom = new ArrayList<>();
        b.path("cache_from").forEach(x -> cacheFrom.add(x.asText()));
        Progress progress = new Progress(rt.err(), rt.stderrTty(), "Building");
        progress.working("Service", service, "Building");
        try {
            BuildContexts.Context ctx = rt.contexts().open(Path.of(b.get("context").asText()), b.path("dockerfile").asText(null));
            BuildOptions options = new BuildOptions(List.of(image), ctx.dockerfile(), args, labels,
                    b.hasNonNull("target") ? b.get("target").asText() : null, b.path("no_cache").asBoolean(false),
                    b.path("pull").asBoolean(false), false, b.hasNonNull("network") ? b.get("network").asText() : null, cacheFrom);
            try (InputStream tar = ctx.tar()) {
                client.build(options, tar, m -> {
                    if (m.hasNonNull("stream") && !rt.stderrTty()) rt.err().print(m.get("stream").asText());
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (EngineApiException e) {
            throw new ComposeException("failed to build service \"" + service + "\": " + e.getMessage());
        }
        images.remove(image);
        progress.done("Service", service, "Built");
    }

    // ---- dependencies -------------------------------------------------------------------------

    private void awaitDependencies(String service, List<String> started, Progress progress) {
        project.service(service).path("depends_on").properties().forEach(d -> {
            String dep = d.getKey();
            if (!project.services().has(dep)) return;
            String condition = d.getValue().path("condition").asText("service_started");
            for (JsonNode c : ofService(current(), dep)) {
                switch (condition) {
                    case "service_healthy" -> awaitHealthy(c, progress);
                    case "service_completed_successfully" -> awaitCompleted(dep, c, progress);
                    default -> { }
                }
            }
        });
    }

    private void awaitHealthy(JsonNode c, Progress progress) {
        String name = name(c);
        progress.working("Container", name, "Waiting");
        while (true) {
            JsonNode state = client.inspectContainer(c.path("Id").asText(), false).path("State");
            String health = state.path("Health").path("Status").asText("");
            if (state.path("Health").isMissingNode() || state.path("Health").isNull()) {
                throw new ComposeException("container " + name + " has no healthcheck configured");
            }
            if (health.equals("healthy")) break;
            if (health.equals("unhealthy")) throw new ComposeException("dependency failed to start: container " + name + " is unhealthy");
            if (!state.path("Running").asBoolean(false) && !state.path("Restarting").asBoolean(false)) {
                throw new ComposeException("dependency failed to start: container " + name + " exited (" + state.path("ExitCode").asInt() + ")");
            }
            sleep(250);
        }
        progress.done("Container", name, "Healthy");
    }

    private void awaitCompleted(String service, JsonNode c, Progress progress) {
        String name = name(c);
        progress.working("Container", name, "Waiting");
        int code = client.waitContainer(c.path("Id").asText(), "not-running").path("StatusCode").asInt();
        if (code != 0) throw new ComposeException("service \"" + service + "\" didn't complete successfully: exit " + code);
        progress.done("Container", name, "Exited");
    }

    /** Waits until every container of the services is running and, if it has a healthcheck, healthy (--wait). */
    public void awaitRunning(List<String> services) {
        Progress progress = new Progress(rt.err(), rt.stderrTty(), "Running");
        for (JsonNode c : containers(true, false, services)) {
            String name = name(c);
            progress.working("Container", name, "Waiting");
            while (true) {
                JsonNode state = client.inspectContainer(c.path("Id").asText(), false).path("State");
                if (state.path("Health").isObject()) {
                    String h = state.path("Health").path("Status").asText();
                    if (h.equals("healthy")) { progress.done("Container", name, "Healthy"); break; }
                    if (h.equals("unhealthy")) throw new ComposeException("container " + name + " is unhealthy");
                } else if (state.path("Running").asBoolean(false)) {
                    progress.done("Container", name, "Healthy");
                    break;
                }
                if (!state.path("Running").asBoolean(false) && !state.path("Restarting").asBoolean(false)) {
                    throw new ComposeException("container " + name + " exited (" + state.path("ExitCode").asInt() + ")");
                }
                sleep(250);
            }
        }
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComposeException("interrupted");
        }
    }

    // ---- converge ---------------------------------------------------------------------------

    private List<String> converge(String service, int replicas, UpOptions o, Progress progress) {
        String hash = ConfigHash.of(project.service(service), imageId(service));
        List<JsonNode> existing = new ArrayList<>(ofService(current(), service));
        List<String> touched = new ArrayList<>();
        existing.sort(Comparator.comparingInt(Compose::number));
        // scale down: the highest numbers go first
        List<JsonNode> surplus = existing.size() > replicas ? existing.subList(replicas, existing.size()) : List.of();
        parallel(List.copyOf(surplus), c -> removeContainer(c, true, stopTimeout(service), progress));
        List<JsonNode> kept = new ArrayList<>(existing.subList(0, Math.min(replicas, existing.size())));
        List<Target> targets = new ArrayList<>();
        boolean dependentsStopped = false;
        Set<Integer> used = new LinkedHashSet<>();
        for (JsonNode c : kept) {
            used.add(number(c));
            String oldHash = c.path("Labels").path(Labels.CONFIG_HASH).asText();
            boolean recreate = o.forceRecreate() || (!o.noRecreate() && !oldHash.equals(hash));
            if (recreate) {
                if (!dependentsStopped) {
                    stopRestartDependents(service, progress);
                    dependentsStopped = true;
                }
                targets.add(new Target(recreate(service, c, hash, progress), name(c), false));
            } else {
                // the list's state says it: paused and restarting containers are not started again (as inspect's Running)
                boolean stopped = Set.of("created", "exited", "dead").contains(c.path("State").asText());
                targets.add(new Target(c.path("Id").asText(), name(c), !stopped));
                if (c.path("State").asText().equals("running")) progress.done("Container", name(c), "Running");
            }
        }
        int next = 1;
        while (targets.size() < replicas) {
            while (used.contains(next)) next++;
            used.add(next);
            targets.add(create(service, next, hash, null, progress));
        }
        if (!o.noStart()) {
            for (Target t : targets) {
                if (!t.running()) start(t.id(), t.name(), progress);
            }
        }
        targets.forEach(t -> touched.add(t.id()));
        return touched;
    }

    /** A container up converges: its id, name and whether it runs (or is paused or restarting) already. */
    private record Target(String id, String name, boolean running) {}

    private Target create(String service, int number, String hash, Map<String, String> anonymousVolumes, Progress progress) {
        ContainerSpec.Plan plan = ContainerSpec.plan(project, service, number, false, hash, imageId(service), this::containerOfService);
        if (anonymousVolumes != null) carryAnonymousVolumes(plan.body(), anonymousVolumes);
        progress.working("Container", plan.name(), "Creating");
        String id = createContainer(plan);
        progress.done("Container", plan.name(), "Created");
        return new Target(id, plan.name(), false);
    }

    String createContainer(ContainerSpec.Plan plan) {
        changed();
        String id;
        try {
            id = client.createContainer(plan.name(), plan.body()).path("Id").asText();
        } catch (EngineApiException e) {
            throw new ComposeException("Error response from daemon: " + e.getMessage());
        }
        for (ContainerSpec.Attachment a : plan.moreNetworks()) {
            try {
                networks.connect(a.network(), id, ContainerSpec.endpoint(a));
            } catch (EngineApiException e) {
                throw new ComposeException("Error response from daemon: " + e.getMessage());
            }
        }
        return id;
    }

    private String recreate(String service, JsonNode old, String hash, Progress progress) {
        String name = name(old);
        progress.working("Container", name, "Recreate");
        Map<String, String> anonymous = new HashMap<>();
        for (JsonNode m : client.inspectContainer(old.path("Id").asText(), false).path("Mounts")) {
            // an anonymous volume (64-hex name) follows its destination into the new container, as in Compose
            if (m.path("Type").asText().equals("volume") && m.path("Name").asText().matches("[0-9a-f]{64}")) {
                anonymous.put(m.path("Destination").asText(), m.path("Name").asText());
            }
        }
        changed();
        stopQuietly(old.path("Id").asText(), stopTimeout(service));
        client.removeContainer(old.path("Id").asText(), true, false);
        ContainerSpec.Plan plan = ContainerSpec.plan(project, service, number(old), false, hash, imageId(service), this::containerOfService);
        carryAnonymousVolumes(plan.body(), anonymous);
        String id = createContainer(plan);
        progress.done("Container", name, "Recreated");
        return id;
    }

    private static void carryAnonymousVolumes(ObjectNode body, Map<String, String> anonymous) {
        if (!(body.path("HostConfig").get("Mounts") instanceof ArrayNode mounts)) return;
        for (JsonNode m : mounts) {
            if (m.path("Type").asText().equals("volume") && !m.has("Source") && anonymous.containsKey(m.path("Target").asText())) {
                ((ObjectNode) m).put("Source", anonymous.get(m.path("Target").asText()));
            }
        }
    }

    private String containerOfService(String service) {
        List<JsonNode> cs = ofService(current(), service);
        if (cs.isEmpty()) throw new ComposeException("service \"" + service + "\" has no container to share the network of");
        return cs.getFirst().path("Id").asText();
    }

    private void start(String id, String name, Progress progress) {
        changed();
        progress.working("Container", name, "Starting");
        try {
            client.startContainer(id);
        } catch (EngineApiException e) {
            throw new ComposeException("Error response from daemon: " + e.getMessage());
        }
        progress.done("Container", name, "Started");
    }

    Integer stopTimeout(String service) {
        JsonNode s = project.services().get(service);
        if (s == null || !s.has("stop_grace_period")) return null;
        return (int) (Units.durationNanos(s.get("stop_grace_period").asText(), "stop_grace_period") / 1_000_000_000L);
    }

    private void stopQuietly(String id, Integer timeout) {
        try {
            client.stopContainer(id, timeout, null);
        } catch (EngineApiException e) {
            if (e.status() != 304 && e.status() != 404) throw e;
        }
    }

    private void removeContainer(JsonNode c, boolean stop, Integer timeout, Progress progress) {
        changed();
        String name = name(c);
        String id = c.path("Id").asText();
        if (stop && c.path("State").asText().equals("running")) {
            progress.working("Container", name, "Stopping");
            stopQuietly(id, timeout);
            progress.done("Container", name, "Stopped");
        }
        progress.working("Container", name, "Removing");
        client.removeContainer(id, true, false);
        progress.done("Container", name, "Removed");
    }

    /**
     * Runs the action on each container at once, as Compose stops and removes a service's replicas in
     * parallel (a stop may wait out its grace period); the first failure is thrown after all have ended.
     */
    static void parallel(List<JsonNode> containers, java.util.function.Consumer<JsonNode> action) {
        if (containers.size() <= 1) {
            containers.forEach(action);
            return;
        }
        List<Thread> threads = new ArrayList<>();
        RuntimeException[] failure = {null};
        for (JsonNode c : containers) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    action.accept(c);
                } catch (RuntimeException e) {
                    synchronized (failure) {
                        if (failure[0] == null) failure[0] = e;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ComposeException("interrupted");
            }
        }
        if (failure[0] != null) throw failure[0];
    }

    // ---- start / stop / down ------------------------------------------------------------------

    public void start(List<String> services) {
        Progress progress = new Progress(rt.err(), rt.stderrTty(), "Running");
        List<JsonNode> all = containers(true, false, List.of());
        for (String s : project.startOrder(services)) {
            awaitDependencies(s, List.of(), progress);
            for (JsonNode c : ofService(all, s)) {
                if (!c.path("State").asText().equals("running")) start(c.path("Id").asText(), name(c), progress);
            }
        }
    }

    public void stop(List<String> services, Integer timeout) {
        Progress progress = new Progress(rt.err(), rt.stderrTty(), "Stopping");
        List<String> order = new ArrayList<>(project.startOrder(services));
        Collections.reverse(order);
        List<JsonNode> all = containers(true, false, List.of());
        for (String s : order) {
            parallel(ofService(all, s), c -> {
                if (!c.path("State").asText().equals("running")) return;
                progress.working("Container", name(c), "Stopping");
                stopQuietly(c.path("Id").asText(), timeout != null ? timeout : stopTimeout(s));
                progress.done("Container", name(c), "Stopped");
            });
        }
    }

    /**
     * Restarts the services' containers, dependencies first; a named service brings along the services that depend
     * on it with {@code restart: true} (as Compose v2), after it.
     */
    public void restart(List<String> services, Integer timeout) {
        Progress progress = new Progress(rt.err(), rt.stderrTty(), "Restarting");
        Set<String> selected = new LinkedHashSet<>(services);
        for (String s : services) selected.addAll(project.restartDependents(s));
        List<String> order = project.startOrder(List.of()).stream().filter(s -> services.isEmpty() || selected.contains(s)).toList();
        List<JsonNode> all = current();
        for (String s : order) {
            parallel(ofService(all, s), c -> {
                progress.working("Container", name(c), "Restarting");
                client.restartContainer(c.path("Id").asText(), timeout != null ? timeout : stopTimeout(s), null);
                progress.done("Container", name(c), "Started");
            });
        }
        changed();
    }

    public record DownOptions(boolean removeOrphans, boolean volumes, String rmi, Integer timeout) {}

    public void down(DownOptions o) {
        Progress progress = new Progress(rt.err(), rt.stderrTty(), "Running");
        List<String> order = new ArrayList<>(project.startOrder(List.of()));
        Collections.reverse(order);
        List<JsonNode> all = containers(true, true, List.of());
        Set<String> images = new LinkedHashSet<>();
        for (String s : order) {
            parallel(ofService(all, s), c -> removeContainerForDown(c, o, s, progress));
        }
        List<JsonNode> orphans = all.stream().filter(c -> !project.services().has(c.path("Labels").path(Labels.SERVICE).asText())).toList();
        if (!orphans.isEmpty()) {
            // `down -p NAME` without a compose file knows the project by its labels only: all of it goes
            if (o.removeOrphans() || project.configFiles().isEmpty()) {
                for (JsonNode c : orphans) removeContainerForDown(c, o, null, progress);
            } else {
                rt.err().println("WARN[0000] Found orphan containers (" + String.join(", ", orphans.stream().map(Compose::name).toList())
                        + ") for this project. If you removed or renamed this service in your compose file, you can run this command"
                        + " with the --remove-orphans flag to clean it up.");
            }
        }
        removeNetworks(progress);
        if (o.volumes()) {
            JsonNode vols = client.listVolumes(Map.of("label", List.of(Labels.PROJECT + "=" + project.name()))).path("Volumes");
            for (JsonNode v : vols) {
                String name = v.path("Name").asText();
                progress.working("Volume", name, "Removing");
                try {
                    client.removeVolume(name, false);
                    progress.done("Volume", name, "Removed");
                } catch (EngineApiException e) {
                    progress.done("Volume", name, "Error");
                    rt.err().println("Error response from daemon: " + e.getMessage());
                }
            }
        }
        if (o.rmi() != null) {
            for (String s : project.serviceNames()) {
                JsonNode svc = project.service(s);
                if (o.rmi().equals("all") || !svc.hasNonNull("image")) images.add(ContainerSpec.imageOf(project, s));
            }
            for (String image : images) {
                progress.working("Image", image, "Removing");
                try {
                    client.removeImage(image, false, false);
                    progress.done("Image", image, "Removed");
                } catch (EngineApiException e) {
                    if (e.status() != 404) throw new ComposeException("Error response from daemon: " + e.getMessage());
                }
            }
        }
    }

    private void removeContainerForDown(JsonNode c, DownOptions o, String service, Progress progress) {
        String name = name(c);
        String id = c.path("Id").asText();
        if (c.path("State").asText().equals("running") || c.path("State").asText().equals("paused")) {
            progress.working("Container", name, "Stopping");
            stopQuietly(id, o.timeout() != null ? o.timeout() : service == null ? null : stopTimeout(service));
            progress.done("Container", name, "Stopped");
        }
        progress.working("Container", name, "Removing");
        client.removeContainer(id, true, o.volumes());
        progress.done("Container", name, "Removed");
    }

    private void removeNetworks(Progress progress) {
        JsonNode list;
        try {
            list = networks.list(Map.of("label", List.of(Labels.PROJECT + "=" + project.name())));
        } catch (EngineApiException e) {
            if (e.status() == 404) return; // no /networks API: this daemon holds no network of the project
            throw e;
        }
        for (JsonNode n : list) {
            String name = n.path("Name").asText();
            progress.working("Network", name, "Removing");
            try {
                networks.remove(n.path("Id").asText(name));
                progress.done("Network", name, "Removed");
            } catch (EngineApiException e) {
                progress.done("Network", name, "Error");
                rt.err().println("Error response from daemon: " + e.getMessage());
            }
        }
    }

    public void remove(List<String> services, boolean stopFirst, boolean volumes) {
        Progress progress = new Progress(rt.err(), rt.stderrTty(), "Removing");
        for (JsonNode c : containers(true, false, services)) {
            if (c.path("State").asText().equals("running")) {
                if (!stopFirst) continue;
                progress.working("Container", name(c), "Stopping");
                stopQuietly(c.path("Id").asText(), stopTimeout(c.path("Labels").path(Labels.SERVICE).asText()));
                progress.done("Container", name(c), "Stopped");
            }
            progress.working("Container", name(c), "Removing");
            client.removeContainer(c.path("Id").asText(), true, volumes);
            progress.done("Container", name(c), "Removed");
        }
    }

    public void each(List<String> services, String verb, String doneWord, java.util.function.Consumer<String> action, boolean runningOnly) {
        Progress progress = new Progress(rt.err(), rt.stderrTty(), verb);
        for (JsonNode c : containers(!runningOnly, false, services)) {
            progress.working("Container", name(c), verb);
            action.accept(c.path("Id").asText());
            progress.done("Container", name(c), doneWord);
        }
    }

    // ---- one-off (run) ------------------------------------------------------------------------

    public record RunOptions(String service, List<String> command, Map<String, String> env, String entrypoint, boolean remove,
                             String name, boolean noDeps, String user, String workdir, boolean tty, boolean stdin,
                             boolean servicePorts) {}

    /** Creates the one-off container {@code PROJECT-SERVICE-run-XXXXXXXXXXXX} after starting its dependencies. */
    public ContainerSpec.Plan runPlan(RunOptions o) {
        if (!o.noDeps()) {
            List<String> deps = new ArrayList<>(project.startOrder(List.of(o.service())));
            deps.remove(o.service());
            if (!deps.isEmpty()) {
                up(new UpOptions(deps, false, false, false, false, false, Map.of(), false, false));
            }
        }
        ensureImage(o.service(), false, false);
        String hash = ConfigHash.of(project.service(o.service()), imageId(o.service()));
        ContainerSpec.Plan base = ContainerSpec.plan(project, o.service(), 1, true, hash, imageId(o.service()), this::containerOfService);
        ObjectNode body = base.body();
        String suffix = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(6));
        String name = o.name() != null ? o.name() : project.name() + "-" + o.service() + "-run-" + suffix;
        if (!o.command().isEmpty()) {
            ArrayNode cmd = body.putArray("Cmd");
            o.command().forEach(cmd::add);
        }
        if (o.entrypoint() != null) {
            ArrayNode ep = body.putArray("Entrypoint");
            Units.shellWords(o.entrypoint()).forEach(ep::add);
        }
        if (!o.env().isEmpty()) {
            ArrayNode env = body.has("Env") ? (ArrayNode) body.get("Env") : body.putArray("Env");
            o.env().forEach((k, v) -> env.add(k + "=" + v));
        }
        if (o.user() != null) body.put("User", o.user());
        if (o.workdir() != null) body.put("WorkingDir", o.workdir());
        if (!o.servicePorts()) ((ObjectNode) body.get("HostConfig")).remove("PortBindings");
        body.put("Tty", o.tty());
        // stdin kept open for the attach that follows; closed for good when that attach ends, as docker run -i
        body.put("OpenStdin", o.stdin());
        body.put("AttachStdin", o.stdin());
        body.put("StdinOnce", o.stdin());
        body.put("AttachStdout", true);
        body.put("AttachStderr", true);
        if (o.remove()) ((ObjectNode) body.get("HostConfig")).put("AutoRemove", true);
        ((ObjectNode) body.get("Labels")).remove(Labels.CONFIG_HASH);
        // a one-off container joins the service's networks without the service's aliases (Compose's run
        // without --use-aliases), so that it does not answer for the service
        body.path("NetworkingConfig").path("EndpointsConfig").forEach(ep -> ((ObjectNode) ep).remove("Aliases"));
        List<ContainerSpec.Attachment> more = base.moreNetworks().stream()
                .map(a -> new ContainerSpec.Attachment(a.network(), List.of(), a.ipv4Address())).toList();
        return new ContainerSpec.Plan(name, body, more);
    }
}
