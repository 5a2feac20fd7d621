package io.berth.registry.client;

import io.berth.linux.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.ImageReference;
import io.berth.oci.Json;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials in Docker's {@code config.json} format, so that {@code docker login} and {@code berth
 * login} share one file:
 * <pre>
 * { "auths": { "https://index.docker.io/v1/": { "auth": base64("user:password") },
 *              "localhost:5000":              { "auth": "..." } },
 *   ...other keys, kept untouched... }
 * </pre>
 * Docker Hub is keyed by its legacy URL; other registries by {@code host[:port]}. Lookups also accept keys
 * written with a scheme or a path ({@code http://host:5000/v2/}), as older clients wrote them. The file is
 * replaced atomically and kept private (0600): it holds passwords.
 */
public final class CredentialStore {
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    private static final String AUTHS = "auths";

    private final Path file;

    public CredentialStore(Path file) {
        this.file = file;
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}, as the docker CLI looks it up. */
    public static CredentialStore defaultLocation() {
        return new CredentialStore(defaultPath(System.getenv(), System.getProperty("user.home")));
    }

    static Path defaultPath(Map<String, String> env, String userHome) {
        String dir = env.get("DOCKER_CONFIG");
        return dir != null && !dir.isEmpty() ? Path.of(dir, "config.json")
                : Path.of(userHome, ".docker", "config.json");
    }

    public Path file() {
        return file;
    }

    /** The credentials stored for {@code registry} (a domain such as "localhost:5000" or "docker.io"), if any. */
    public synchronized Optional<Credentials> find(String registry) {
        String wanted = normalise(registry);
        JsonNode auths = load().path(AUTHS);
        for (Map.Entry<String, JsonNode> entry : auths.properties()) {
            if (normalise(entry.getKey()).equals(wanted)) {
                Credentials found = decode(entry.getValue());
                if (found != null) {
                    return Optional.of(found);
                }
            }
        }
        return Optional.empty();
    }

    private static Credentials decode(JsonNode entry) {
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            return Credentials.fromBasicToken(auth);
        }
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText(null);
        return user.isEmpty() || password == null ? null : new Credentials(user, password);
    }

    /** Stores (or replaces) the credentials for {@code registry}. */
    public synchronized void store(String registry, Credentials credentials) {
        ObjectNode root = load();
        ObjectNode auths = root.has(AUTHS) && root.get(AUTHS).isObject() ? (ObjectNode) root.get(AUTHS)
                : root.putObject(AUTHS);
        removeMatching(auths, normalise(registry));
        auths.putObject(key(registry)).put("auth", credentials.basicToken());
        save(root);
    }

    /** Forgets the credentials for {@code registry}; false when there were none. */
    public synchronized boolean remove(String registry) {
        ObjectNode root = load();
        if (!(root.get(AUTHS) instanceof ObjectNode auths) || !removeMatching(auths, normalise(registry))) {
            return false;
        }
        save(root);
        return true;
    }

    private static boolean removeMatching(ObjectNode auths, String normalised) {
        List<String> matching = auths.properties().stream().map(Map.Entry::getKey)
                .filter(key -> normalise(key).equals(normalised)).toList();
        auths.remove(matching);
        return !matching.isEmpty();
    }

    /** The key Docker writes for {@code registry}. */
    static String key(String registry) {
        String host = normalise(registry);
        return host.equals(ImageReference.DEFAULT_DOMAIN) ? DOCKER_HUB_KEY : host;
    }

    /** Reduces a config.json key or a server address to {@code host[:port]}; Docker Hub's aliases to docker.io. */
    static String normalise(String registry) {
        String s = registry.trim().toLowerCase(Locale.ROOT);
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        return switch (s) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> ImageReference.DEFAULT_DOMAIN;
            default -> s;
        };
    }

    private ObjectNode load() {
        try {
            JsonNode node = Json.mapper().readTree(Files.readAllBytes(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return Json.mapper().createObjectNode();
            }
            if (!(node instanceof ObjectNode object)) {
                throw new InvalidArgumentException(file + " is not a JSON object");
            }
            return object;
        } catch (NoSuchFileException e) {
            return Json.mapper().createObjectNode();
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read credentials from " + file + ": " + e.getMessage(), e);
        }
    }

    private void save(ObjectNode root) {
        try {
            AtomicFile.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root),
                    PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new SystemFailureException("cannot write credentials to " + file + ": " + e.getMessage(), e);
        }
    }
}
