package io.berth.daemon.api;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.berth.daemon.events.EventBus;
import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.daemon.images.ImageDeleteItem;
import io.berth.daemon.images.ImageService;
import io.berth.oci.Digest;
import io.berth.oci.ImageReference;
import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.store.ArchiveLoader;
import io.berth.store.ArchiveSaver;
import io.berth.store.ImageImporter;
import io.berth.store.ImageRecord;
import io.berth.store.ImageStore;

/** Image endpoints: list, inspect, history, tag, remove, load, save, import, prune; removal rules live in ImageService. */
public final class ImageRoutes {
    private final ImageStore images;
    private final ImageImporter importer;
    private final ArchiveLoader loader;
    private final ArchiveSaver saver;
    private final ImageService service;
    private final EventBus events;
    private final RegistryRoutes registry;

    public ImageRoutes(ImageStore images, ImageImporter importer, ArchiveLoader loader, ArchiveSaver saver,
                       ImageService service, EventBus events, RegistryRoutes registry) {
        this.images = images;
        this.importer = importer;
        this.loader = loader;
        this.saver = saver;
        this.service = service;
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
        Filters f = Filters.parse(rq.queryParam("filters")).allowOnly("reference", "dangling", "label", "label!", "before", "since",
                "until");
        // before=/since= name an image (404 when there is none): created before or after it; until: before a time
        Instant before = f.has("before") ? images.resolve(f.get("before").getLast()).created() : null;
        Instant since = f.has("since") ? images.resolve(f.get("since").getLast()).created() : null;
        Instant until = f.has("until") ? PruneUntil.parse(f.get("until").getLast(), Instant.now()) : null;
        List<Map<String, Object>> out = new ArrayList<>();
        List<ImageRecord> all = images.list();
        // shared-size=1 (docker-py's and the API's, as system df counts it): what each image shares with another
        Map<String, Long> shared = !rq.queryFlag("shared-size") ? Map.of() : DiskUsage.images(all.stream()
                .map(r -> new DiskUsage.ImageLayers(r.id().toString(), images.manifest(r.id()).layers())).toList()).sharedSize();
        for (ImageRecord r : all) {
            if (f.has("dangling") && f.get("dangling").contains("true") != r.repoTags().isEmpty()) continue;
            if (f.has("reference") && f.get("reference").stream().noneMatch(p -> r.repoTags().stream().anyMatch(t -> referenceMatches(p, t)))) continue;
            var labels = r.config().config() == null || r.config().config().labels() == null ? Map.<String, String>of() : r.config().config().labels();
            if (f.has("label") && !f.get("label").stream().allMatch(l -> Filters.labelMatches(l, labels))) continue;
            if (f.get("label!").stream().anyMatch(l -> Filters.labelMatches(l, labels))) continue;
            if (before != null && !r.created().isBefore(before)) continue;
            if (since != null && !r.created().isAfter(since)) continue;
            if (until != null && !r.created().isBefore(until)) continue;
            Map<String, Object> summary = ImageView.summary(r, -1);
            if (shared.containsKey(r.id().toString())) summary.put("SharedSize", shared.get(r.id().toString()));
            out.add(summary);
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
        rs.json(200, service.remove(rq.pathParam("name"), rq.queryFlag("force")).stream().map(ImageRoutes::item).toList());
    }

    private static Map<String, Object> item(ImageDeleteItem item) {
        return switch (item) {
            case ImageDeleteItem.Untagged u -> Map.of("Untagged", u.reference());
            case ImageDeleteItem.Deleted d -> Map.of("Deleted", d.imageId());
        };
    }

    /**
     * docker load: a chunked JSON-lines stream, as dockerd's. The 200 starts at once and each image is reported as
     * it is registered; a bad archive is an error message in the stream (dockerd writes its failure there too),
     * which the docker CLI prints and docker-py raises as ImageLoadError.
     */
    private void load(HttpRequest rq, HttpResponse rs) throws Exception {
        try (ProgressStream progress = new ProgressStream(rs)) {
            progress.start();
            try {
                loader.load(rq.body(), r -> {
                    if (r.repoTags().isEmpty()) progress.stream("Loaded image ID: " + r.id() + "\n");
                    for (String t : r.repoTags()) progress.stream("Loaded image: " + t + "\n");
                    events.publish("image", "load", r.id().toString(), Map.of());
                });
            } catch (BerthException e) {
                progress.error(e.getMessage());
            }
        }
    }

    private void save(HttpRequest rq, HttpResponse rs) throws Exception {
        List<String> names = rq.query().getOrDefault("names", List.of());
        save(names, rs);
    }

    private void save(List<String> names, HttpResponse rs) throws Exception {
        if (names.isEmpty()) throw new InvalidArgumentException("no images named to save");
        for (String n : names) images.resolve(n); // 404 before the stream starts
        try (OutputStream out = rs.bulkStream(200, "application/x-tar")) {
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

    /**
     * docker image prune: dangling images, or every unused one with dangling=false (-a); label, label! and until
     * narrow that down (an image must match every label, no label!, and be older than until), as Docker's.
     */
    private void prune(HttpRequest rq, HttpResponse rs) throws Exception {
        Filters f = Filters.parse(rq.queryParam("filters")).allowOnly("dangling", "label", "label!", "until");
        for (String d : f.get("dangling")) {
            if (!List.of("true", "false", "1", "0").contains(d)) throw new InvalidArgumentException("invalid filter 'dangling=" + d + "'");
        }
        boolean all = f.get("dangling").contains("false") || f.get("dangling").contains("0");
        Instant until = f.has("until") ? PruneUntil.parse(f.get("until").getLast(), Instant.now()) : null;
        ImageService.PruneReport report = service.prune(all, r -> {
            var labels = r.config().config() == null || r.config().config().labels() == null
                    ? Map.<String, String>of() : r.config().config().labels();
            return f.get("label").stream().allMatch(l -> Filters.labelMatches(l, labels))
                    && f.get("label!").stream().noneMatch(l -> Filters.labelMatches(l, labels))
                    && (until == null || r.created().isBefore(until));
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ImagesDeleted", report.items().isEmpty() ? null : report.items().stream().map(ImageRoutes::item).toList());
        result.put("SpaceReclaimed", report.spaceReclaimed());
        rs.json(200, result);
    }
}
