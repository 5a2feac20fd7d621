package io.berth.daemon.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.events.EventBus;
import io.berth.daemon.http.ApiJson;
import io.berth.daemon.http.HttpRequest;
import io.berth.daemon.http.HttpResponse;
import io.berth.daemon.http.Router;
import io.berth.oci.ImageReference;
import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.registry.client.Credentials;
import io.berth.registry.client.ProgressEvent;
import io.berth.registry.client.PullResult;
import io.berth.registry.client.PushResult;
import io.berth.registry.client.RegistryClient;
import io.berth.registry.client.RegistryError;
import io.berth.store.ImageRecord;
import io.berth.store.ImageStore;

/** Pull (POST /images/create?fromImage=), push (POST /images/{name}/push) and login (POST /auth). */
public final class RegistryRoutes {
    private final RegistryClient registry;
    private final ImageStore images;
    private final EventBus events;

    public RegistryRoutes(RegistryClient registry, ImageStore images, EventBus events) {
        this.registry = registry;
        this.images = images;
        this.events = events;
    }

    public void register(Router router) {
        router.add("POST", "/images/{name*}/push", this::push)
              .add("POST", "/auth", this::auth)
              .add("GET", "/distribution/{name*}/json", this::distribution);
    }

    /** docker manifest/buildx imagetools' distribution inspect: the registry's descriptor and platforms, no pull. */
    private void distribution(HttpRequest rq, HttpResponse rs) throws Exception {
        ImageReference reference = ImageReference.parse(rq.pathParam("name"));
        RegistryClient.DistributionInfo info = registry.inspect(reference, credentials(rq));
        Map<String, Object> descriptor = new java.util.LinkedHashMap<>();
        descriptor.put("mediaType", info.descriptor().mediaType());
        descriptor.put("digest", info.descriptor().digest().toString());
        descriptor.put("size", info.descriptor().size());
        List<Map<String, Object>> platforms = new ArrayList<>();
        for (io.berth.oci.Platform p : info.platforms()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("architecture", p.architecture());
            m.put("os", p.os());
            if (p.osVersion() != null) m.put("os.version", p.osVersion());
            if (p.osFeatures() != null && !p.osFeatures().isEmpty()) m.put("os.features", p.osFeatures());
            if (p.variant() != null && !p.variant().isEmpty()) m.put("variant", p.variant());
            platforms.add(m);
        }
        rs.json(200, Map.of("Descriptor", descriptor, "Platforms", platforms));
    }

    /** Called by ImageRoutes for `POST /images/create?fromImage=...`. */
    void pull(HttpRequest rq, HttpResponse rs) throws Exception {
        String image = rq.queryParam("fromImage", "");
        String tag = rq.queryParam("tag", "");
        if (image.isEmpty()) throw new InvalidArgumentException("fromImage must not be empty");
        String ref = tag.isEmpty() ? image : tag.startsWith("sha256:") ? image + "@" + tag : image + ":" + tag;
        ImageReference reference = ImageReference.parse(ref);
        Credentials credentials = credentials(rq);
        // an index is resolved to the manifest of the platform asked for (the machine's when none is)
        io.berth.oci.Platform platform = ContainerRoutes.platform(rq.queryParam("platform"));
        try (ProgressStream progress = new ProgressStream(rs)) {
            try {
                PullResult result = registry.pull(reference, credentials, platform == null ? io.berth.oci.Platform.host() : platform,
                        e -> relay(progress, e));
                events.publish("image", "pull", result.image().id().toString(), Map.of("name", reference.familiar()));
            } catch (BerthException e) {
                progress.fail(e);
            }
        }
    }


    private void push(HttpRequest rq, HttpResponse rs) throws Exception {
        String name = rq.pathParam("name");
        String tag = rq.queryParam("tag", "");
        List<String> refs = new ArrayList<>();
        if (!tag.isEmpty()) {
            refs.add(name + ":" + tag);
        } else {
            String repo = ImageReference.parse(name).familiarName();
            for (ImageRecord r : images.list()) {
                for (String t : r.repoTags()) if (t.startsWith(repo + ":")) refs.add(t);
            }
            if (refs.isEmpty()) throw new NotFoundException("An image does not exist locally with the tag: " + name);
        }
        // Every reference is checked before the stream starts: once it has, an error could only be a 200.
        Map<String, ImageRecord> locals = new LinkedHashMap<>();
        for (String ref : refs) {
            ImageReference.parse(ref);
            locals.put(ref, images.find(ref).orElseThrow(
                    () -> new NotFoundException("An image does not exist locally with the tag: " + ref)));
        }
        Credentials credentials = credentials(rq);
        try (ProgressStream progress = new ProgressStream(rs)) {
            for (String ref : refs) {
                ImageRecord local = locals.get(ref);
                try {
                    PushResult result = registry.push(ImageReference.parse(ref), local.id(), credentials, e -> relay(progress, e));
                    progress.aux(Map.of("Tag", result.tag(), "Digest", result.manifestDigest().toString(), "Size", result.size()));
                    events.publish("image", "push", local.id().toString(), Map.of("name", ref));
                } catch (BerthException e) {
                    progress.fail(e);
                    return;
                }
            }
        }
    }

    private void auth(HttpRequest rq, HttpResponse rs) throws Exception {
        JsonNode body = ApiJson.MAPPER.readTree(rq.bodyBytes(64 * 1024));
        if (body == null || !body.isObject()) throw new InvalidArgumentException("invalid JSON: expected an object");
        Credentials credentials = new Credentials(body.path("username").asText(""), body.path("password").asText(""));
        try {
            String status = registry.login(body.path("serveraddress").asText(""), credentials);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Status", status);
            m.put("IdentityToken", "");
            rs.json(200, m);
        } catch (BerthException e) {
            if (e.getCause() instanceof RegistryError re && re.isAuthenticationFailure()) {
                rs.json(401, Map.of("message", e.getMessage()));
                return;
            }
            throw e;
        }
    }

    private static void relay(ProgressStream progress, ProgressEvent e) {
        if (e.hasBytes()) progress.bytes(e.id(), e.status(), e.current(), e.total());
        else progress.status(e.id(), e.status());
    }

    /** X-Registry-Auth: base64url JSON {username, password, serveraddress}; "e30=" ({}) means none. */
    static Credentials credentials(HttpRequest rq) {
        String header = rq.header("X-Registry-Auth");
        if (header == null || header.isBlank()) return null;
        try {
            byte[] json = Base64.getUrlDecoder().decode(header.trim().replace('+', '-').replace('/', '_'));
            JsonNode node = ApiJson.MAPPER.readTree(new String(json, StandardCharsets.UTF_8));
            String user = node.path("username").asText("");
            if (user.isEmpty()) return null;
            return new Credentials(user, node.path("password").asText(""));
        } catch (Exception e) {
            throw new InvalidArgumentException("invalid X-Registry-Auth header");
        }
    }
}
