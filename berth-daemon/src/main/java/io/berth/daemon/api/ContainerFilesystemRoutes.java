package io.berth.daemon.api;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.build.exec.ContainerLayer;
import io.berth.daemon.events.EventBus;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.fs.RootedDir;
import io.berth.fs.TreeTarWriter;
import io.berth.linux.ErrnoException;
import io.berth.oci.ImageReference;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.store.ImageRecord;
import io.berth.store.StoreServices;

/**
 * A container's filesystem as Docker exposes it: `docker diff` (GET /containers/{id}/changes), `docker export`
 * (GET /containers/{id}/export) and `docker commit` (POST /commit). Diff and commit read the container's upper
 * dir the way the builder reads a RUN step's ({@link ContainerLayer}); export tars the merged root.
 */
public final class ContainerFilesystemRoutes {
    private static final int MAX_COMMIT_BODY = 1024 * 1024;

    private final ContainerService containers;
    private final StoreServices store;
    private final Path scratchDir;
    private final EventBus events;

    /** @param scratchDir where a commit's layer tar is written before it enters the content store */
    public ContainerFilesystemRoutes(ContainerService containers, StoreServices store, Path scratchDir, EventBus events) {
        this.containers = containers;
        this.store = store;
        this.scratchDir = scratchDir;
        this.events = events;
    }

    public void register(Router router) {
        router.add("GET", "/containers/{id}/changes", this::changes)
              .add("GET", "/containers/{id}/export", this::export)
              .add("POST", "/commit", this::commit);
    }

    /** Docker answers null, not [], when nothing changed. */
    private void changes(HttpRequest rq, HttpResponse rs) throws Exception {
        List<ContainerLayer.Change> changes = containers.whileHeld(rq.pathParam("id"), false,
                c -> ContainerLayer.changes(c.upperDir(), c.spec().rootfs().lowerDirs()));
        rs.json(200, changes.isEmpty() ? null
                : changes.stream().map(ch -> Map.of("Path", ch.path(), "Kind", ch.kind())).toList());
    }

    /**
     * The merged root (mounted first if the container is stopped, as for docker cp), tarred through held
     * descriptors. The op lock is held meanwhile, so the root is not unmounted under the stream.
     */
    private void export(HttpRequest rq, HttpResponse rs) throws Exception {
        String id = containers.inspect(rq.pathParam("id")).id();
        containers.whileHeld(id, false, c -> {
            try (RootedDir root = RootedDir.open(containers.rootfs(c.id()));
                 OutputStream out = rs.bulkStream(200, "application/x-tar")) {
                TreeTarWriter.writeContents(root.handle(), out);
                return null;
            } catch (ErrnoException e) {
                throw new SystemFailureException("cannot open the root of container " + c.id() + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void commit(HttpRequest rq, HttpResponse rs) throws Exception {
        String container = rq.queryParam("container", "");
        if (container.isEmpty()) throw new InvalidArgumentException("container name or ID must be given (query parameter container)");
        JsonNode body = JsonBody.read(rq, MAX_COMMIT_BODY);
        // Docker would start from a config in the body instead of the container's; berth applies only `changes`.
        if (body.isObject() && !body.isEmpty()) {
            throw new InvalidArgumentException("berth does not support a config in the body of POST /commit: use changes");
        }
        String ref = reference(rq.queryParam("repo", ""), rq.queryParam("tag", ""));
        var changes = ImportChanges.apply(rq.query().getOrDefault("changes", List.of()));
        String pause = rq.queryParam("pause");
        boolean freeze = pause == null || pause.isEmpty() || rq.queryFlag("pause");
        String author = rq.queryParam("author", "");
        String comment = rq.queryParam("comment", "");
        // Only the capture reads the container's files: the container is frozen for it alone, not while the
        // layer is digested, stored and unpacked.
        record Taken(Container container, ImageRecord base, ContainerLayer.Captured layer) {}
        Taken taken = containers.whileHeld(container, freeze, c -> {
            ImageRecord base = store.images().get(io.berth.oci.Digest.parse(c.spec().imageId()))
                    .orElseThrow(() -> new io.berth.oci.errors.NotFoundException("No such image: " + c.spec().imageId()));
            return new Taken(c, base, ContainerLayer.capture(store, scratchDir, c.upperDir(), c.spec().rootfs().lowerDirs()));
        });
        ImageRecord image;
        try (ContainerLayer.Captured layer = taken.layer()) {
            Container c = taken.container();
            var config = CommitConfig.withChanges(CommitConfig.of(c.spec(), taken.base().config().config()), changes);
            image = ContainerLayer.commit(store, scratchDir, taken.base(), layer,
                    new ContainerLayer.Commit(config, author, comment, String.join(" ", c.spec().process().args())));
        }
        if (ref != null) store.images().tag(image.id(), ref);
        Container c = containers.inspect(container);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("comment", comment);
        attrs.put("imageID", image.id().toString());
        attrs.put("imageRef", ref == null ? "" : ImageReference.parse(ref).familiar());
        attrs.put("name", c.name());
        events.publish("container", "commit", c.id(), attrs);
        rs.json(201, Map.of("Id", image.id().toString()));
    }

    /** "repo[:tag]" as docker commit names the image, or null for an untagged one; a bad name is a 400 first. */
    private static String reference(String repo, String tag) {
        if (repo.isEmpty()) {
            if (!tag.isEmpty()) throw new InvalidArgumentException("tag is only valid with a repository: " + tag);
            return null;
        }
        String ref = tag.isEmpty() ? repo : repo + ":" + tag;
        ImageReference parsed = ImageReference.parse(ref);
        if (parsed.digest() != null) throw new InvalidArgumentException("refusing to create a tag with a digest reference");
        return ref;
    }
}
