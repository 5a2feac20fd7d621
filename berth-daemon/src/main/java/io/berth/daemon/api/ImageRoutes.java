package io.berth.daemon.api;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.berth.daemon.events.EventBus;
import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.oci.Digest;
import io.berth.oci.ImageReference;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.Container;
import io.berth.store.ArchiveLoader;
import io.berth.store.ArchiveSaver;
import io.berth.store.ImageImporter;
import io.berth.store.ImageRecord;
import io.berth.store.GarbageCollector;
import io.berth.store.ImageStore;

/** Image endpoints: list, inspect, history, tag, remove, load, save, import, prune. */
public final class ImageRoutes {
    private final ImageStore images;
    private final ImageImporter importer;
    private final ArchiveLoader loader;
    private final ArchiveSaver saver;
    private final Supplier<List<Container>> containers;
    private final EventBus events;
    private final RegistryRoutes registry;
    private final GarbageCollector gc;

    public ImageRoutes(ImageStore images, ImageImporter importer, ArchiveLoader loader, ArchiveSaver saver,
                       Supplier<List<Container>> containers, EventBus events, RegistryRoutes registry,
                       GarbageCollector gc) {
        this.gc = gc;
        this.images = images;
        this.importer = importer;
        this.loader = loader;
        this.saver = saver;
        this.containers = containers;
        this.events = events;
        this.registry = registry;
    }

    public void register(Router router) {
        router.add("GET", "/images/json", this::list)
              .add("POST", "/images/load", this::load)
              .add("GET", "/images/get", this::save)
              .add("POST", "/images/create", this::create)
              .add("POST", "/images/prune", this::prune)
              .add("GET", "/images/{name*}/json", this::inspect)
              .add("GET", "/images/{name*}/history", this::history)
              .add("GET", "/images/{name*}/get", (rq, rs) -> save(List.of(rq.pathParam("name")), rs))
              .add("POST", "/images/{name*}/tag", this::tag)
              .add("DELETE", "/images/{name*}", this::remove);
    }

    private void list(HttpRequest rq, HttpResponse rs) throws Exception {
        Filters f = Filters.parse(rq.queryParam("filters")).allowOnly("reference", "dangling", "label", "before", "since");
        List<Map<String, Object>> out = new ArrayList<>();
        for (ImageRecord r : images.list()) {
            if (f.has("dangling") && f.get("dangling").contains("true") != r.repoTags().isEmpty()) continue;
            if (f.has("reference") && f.get("reference").stream().noneMatch(p -> r.repoTags().stream().anyMatch(t -> referenceMatches(p, t)))) continue;
            var labels = r.config().config() == null || r.config().config().labels() == null ? Map.<String, String>of() : r.config().config().labels();
            if (f.has("label") && !f.get("label").stream().allMatch(l -> Filters.labelMatches(l, labels))) continue;
            out.add(ImageView.summary(r, -1));
        }
        rs.json(200, out);
    }

    /** reference=busybox matches busybox:latest; reference=busy* is a glob on the name (and tag). */
    private static boolean referenceMatches(String pattern, String tag) {
        String regex = pattern.replace(".", "\\.").replace("*", "[^/]*").replace("?", ".");
        return tag.matches(regex) || tag.matches(regex + ":.*");
    }

    private void inspect(HttpRequest rq, HttpResponse rs) throws Exception {
        ImageRecord r = images.resolve(rq.pathParam("name"));
        rs.json(200, ImageView.inspect(r, images.diffIds(r.id()).stream().map(Digest::toString).toList()));
    }

    private void history(HttpRequest rq, HttpResponse rs) throws Exception {
        ImageRecord r = images.resolve(rq.pathParam("name"));
        List<Long> sizes = images.manifest(r.id()).layers().stream().map(d -> d.size()).toList();
        rs.json(200, ImageView.history(r, sizes));
    }

    private void tag(HttpRequest rq, HttpResponse rs) throws Exception {
        ImageRecord r = images.resolve(rq.pathParam("name"));
        String repo = rq.queryParam("repo");
        if (repo == null || repo.isEmpty()) throw new InvalidArgumentException("repository name must not be empty");
        String tag = rq.queryParam("tag", "");
        String ref = tag.isEmpty() ? repo : repo + ":" + tag;
        ImageReference parsed = ImageReference.parse(ref);
        if (parsed.digest() != null) throw new InvalidArgumentException("refusing to create a tag with a digest reference");
        images.tag(r.id(), ref);
        events.publish("image", "tag", r.id().toString(), Map.of("name", parsed.familiar()));
        rs.empty(201);
    }

    private void remove(HttpRequest rq, HttpResponse rs) throws Exception {
        String name = rq.pathParam("name");
        boolean force = rq.queryFlag("force");
        ImageRecord r = images.resolve(name);
        boolean byId = r.id().toString().equals(name) || (name.matches("[0-9a-f]{1,64}") && r.id().hex().startsWith(name))
                || (name.startsWith("sha256:") && r.id().toString().startsWith(name));
        List<Map<String, Object>> report = new ArrayList<>();
        if (!byId && r.repoTags().size() > 1) {
            for (String t : images.untag(name)) report.add(Map.of("Untagged", t));
            events.publish("image", "untag", r.id().toString(), Map.of("name", name));
            rs.json(200, report);
            return;
        }
        if (byId && r.repoTags().size() > 1 && !force) {
            throw new ConflictException("conflict: unable to delete " + r.id().shortId()
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        List<Container> users = containers.get().stream().filter(c -> c.spec().imageId().equals(r.id().toString())).toList();
        for (Container c : users) {
            if (c.state().isRunning()) {
                throw new ConflictException("conflict: unable to delete " + r.id().shortId()
                        + " (cannot be forced) - image is being used by running container " + c.id().substring(0, 12));
            }
        }
        if (!users.isEmpty() && !force) {
            throw new ConflictException("conflict: unable to remove repository reference \"" + name + "\" (must force) - container "
                    + users.getFirst().id().substring(0, 12) + " is using its referenced image " + r.id().shortId());
        }
        for (String t : List.copyOf(r.repoTags())) {
            for (String untagged : images.untag(t)) report.add(Map.of("Untagged", untagged));
        }
        // A stopped container still mounts the image's snapshots: forcing removes the tags, not the layers.
        if (users.isEmpty()) {
            images.delete(r.id());
            report.add(Map.of("Deleted", r.id().toString()));
            events.publish("image", "delete", r.id().toString(), Map.of("name", name));
        }
        rs.json(200, report);
    }

    private void load(HttpRequest rq, HttpResponse rs) throws Exception {
        List<ImageRecord> loaded = loader.load(rq.body());
        StringBuilder lines = new StringBuilder();
        for (ImageRecord r : loaded) {
            if (r.repoTags().isEmpty()) lines.append(progress("Loaded image ID: " + r.id()));
            for (String t : r.repoTags()) lines.append(progress("Loaded image: " + t));
            events.publish("image", "load", r.id().toString(), Map.of());
        }
        rs.send(200, "application/json", lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String progress(String message) throws Exception {
        return ApiJson.MAPPER.writeValueAsString(Map.of("stream", message + "\n")) + "\n";
    }

    private void save(HttpRequest rq, HttpResponse rs) throws Exception {
        List<String> names = rq.query().getOrDefault("names", List.of());
        save(names, rs);
    }

    private void save(List<String> names, HttpResponse rs) throws Exception {
        if (names.isEmpty()) throw new InvalidArgumentException("no images named to save");
        for (String n : names) images.resolve(n); // 404 before the stream starts
        try (OutputStream out = rs.stream(200, "application/x-tar")) {
            saver.save(names, out);
        }
    }

    /** `fromSrc=-` imports the body as a rootfs tar; `fromImage` pulls from a registry. */
    private void create(HttpRequest rq, HttpResponse rs) throws Exception {
        String fromSrc = rq.queryParam("fromSrc");
        if (fromSrc == null) {
            registry.pull(rq, rs);
            return;
        }
        if (!fromSrc.equals("-")) throw new InvalidArgumentException("only fromSrc=- (the request body) is supported");
        String repo = rq.queryParam("repo", "");
        String tag = rq.queryParam("tag", "");
        String ref = repo.isEmpty() ? null : tag.isEmpty() ? repo : repo + ":" + tag;
        if (ref != null) ImageReference.parse(ref);
        var changes = ImportChanges.apply(rq.query().getOrDefault("changes", List.of()));
        ImageRecord r = importer.importRootfs(rq.body(), ref, changes, rq.queryParam("message", ""));
        events.publish("image", "import", r.id().toString(), Map.of());
        rs.send(200, "application/json", (ApiJson.MAPPER.writeValueAsString(Map.of("status", r.id().toString())) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void prune(HttpRequest rq, HttpResponse rs) throws Exception {
        Filters f = Filters.parse(rq.queryParam("filters")).allowOnly("dangling", "label", "until");
        boolean all = f.get("dangling").contains("false");
        var used = containers.get().stream().map(c -> c.spec().imageId()).collect(java.util.stream.Collectors.toSet());
        List<Map<String, Object>> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (ImageRecord r : images.list()) {
            if (used.contains(r.id().toString()) || (!all && !r.repoTags().isEmpty())) continue;
            for (String t : List.copyOf(r.repoTags())) for (String u : images.untag(t)) deleted.add(Map.of("Untagged", u));
            reclaimed += r.size();
            images.delete(r.id());
            deleted.add(Map.of("Deleted", r.id().toString()));
        }
        // Also what failed or killed operations left behind, which no image record ever referenced.
        reclaimed += gc.collect().bytes();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ImagesDeleted", deleted.isEmpty() ? null : deleted);
        result.put("SpaceReclaimed", reclaimed);
        rs.json(200, result);
    }
}
