package io.berth.cli.auth;


import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.client.JsonTree;
import io.berth.client.RegistryAuth;
import io.berth.linux.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The docker CLI's config file, shared with docker so a {@code docker login} serves berth and back.
 * Only {@code auths} is interpreted; every other key is kept as read. Credentials are stored as
 * docker's file store does: {@code "auths": {"<server>": {"auth": base64(user:password)}}}.
 */
public final class DockerConfigFile {


    private final Path path;
    private final ObjectNode root;

    private DockerConfigFile(Path path, ObjectNode root) {
        this.path = path;
        this.root = root;
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code $HOME/.docker/config.json}. */
    public static Path locate(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir, "config.json");
        }
        String home = env.get("HOME");
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".docker", "config.json");
    }

    public static DockerConfigFile load(Map<String, String> env) {
        return load(locate(env));
    }

    /** Reads the file; a missing or empty file is an empty configuration. */
    public static DockerConfigFile load(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return new DockerConfigFile(path, JsonNodeFactory.instance.objectNode());
        } catch (IOException e) {
            throw new UncheckedIOException("loading config file: " + path + ": " + e.getMessage(), e);
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return new DockerConfigFile(path, JsonNodeFactory.instance.objectNode());
        }
        try {
            // read on every pull and push: JsonTree avoids building an ObjectMapper (~50 ms in a cold CLI)
            JsonNode tree = JsonTree.parse(bytes);
            if (!(tree instanceof ObjectNode object)) {
                throw new IllegalArgumentException("loading config file: " + path + ": not a JSON object");
            }
            return new DockerConfigFile(path, object);
        } catch (IOException e) {
            throw new IllegalArgumentException("loading config file: " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /**
     * The credentials stored for a config key; keys written by older clients with a scheme or path
     * ({@code https://host:5000/v2/}) match their host, as in docker.
     */
    public Optional<RegistryAuth> credentials(String key) {
        JsonNode auths = root.path("auths");
        if (auths.has(key)) {
            return Optional.of(decode(key, auths.get(key)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = auths.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (RegistryAddress.hostname(entry.getKey()).equals(key)) {
                return Optional.of(decode(key, entry.getValue()));
            }
        }
        return Optional.empty();
    }

    /** The credentials for pushing to or pulling from a repository, or {@link RegistryAuth#NONE}. */
    public RegistryAuth authFor(RepositoryName repository) {
        return credentials(repository.credentialKey()).orElse(RegistryAuth.NONE);
    }

    private static RegistryAuth decode(String key, JsonNode entry) {
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid auth configuration file: " + e.getMessage(), e);
            }
            int colon = pair.indexOf(':');
            user = colon < 0 ? pair : pair.substring(0, colon);
            password = colon < 0 ? "" : pair.substring(colon + 1);
        }
        return new RegistryAuth(user, password, key, entry.path("identitytoken").asText(""));
    }

    /** Replaces the entry under the credentials' server address. An identity token is kept in place of the password. */
    public void store(RegistryAuth auth) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        String user = auth.username() == null ? "" : auth.username();
        String password = auth.password() == null ? "" : auth.password();
        entry.put("auth", Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        if (auth.identityToken() != null && !auth.identityToken().isEmpty()) {
            entry.put("identitytoken", auth.identityToken());
        }
        auths().set(auth.serverAddress(), entry);
    }

    /** Removes the entry; false when there was none. */
    public boolean erase(String key) {
        return root.path("auths") instanceof ObjectNode auths && auths.remove(key) != null;
    }

    private ObjectNode auths() {
        if (!(root.get("auths") instanceof ObjectNode auths)) {
            return root.putObject("auths");
        }
        return auths;
    }

    /**
     * Writes the file atomically with mode 0600 (it holds passwords), through berth's one {@link AtomicFile}.
     * A symlinked config file is replaced at its target, as docker does.
     */
    public void save() {
        try {
            Path target = Files.isSymbolicLink(path) ? path.toRealPath() : path;
            Path dir = target.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            AtomicFile.write(target, render().getBytes(StandardCharsets.UTF_8), AtomicFile.OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("saving config file: " + path + ": " + e.getMessage(), e);
        }
    }

    /** Tab-indented with "key": value, the layout docker writes. */
    String render() throws IOException {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("\t", "\n"))
                .withArrayIndenter(new DefaultIndenter("\t", "\n"));
        return new ObjectMapper().writer(printer).writeValueAsString(root);
    }
}
