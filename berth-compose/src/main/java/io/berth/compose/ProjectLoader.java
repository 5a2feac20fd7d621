package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads a project as Docker Compose v2 does: finds the files, reads {@code .env}, interpolates,
 * validates each file against the schema, normalises, applies {@code include} and {@code extends},
 * merges the files, names the project, applies profiles, resolves {@code env_file} and names the
 * project's networks and volumes.
 */
public final class ProjectLoader {
    static final List<String> DEFAULT_FILES = List.of("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml");
    private static final List<String> OVERRIDE_FILES = List.of("compose.override.yaml", "compose.override.yml",
            "docker-compose.override.yml", "docker-compose.override.yaml");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final List<String> warnings = new ArrayList<>();
    private final ValidatedModels validated;

    private ProjectLoader(ValidatedModels validated) {
        this.validated = validated;
    }

    public static Project load(LoadOptions options) {
        return new ProjectLoader(ValidatedModels.in(options.environment())).run(options);
    }

    private Project run(LoadOptions o) {
        Path cwd = o.workingDir().toAbsolutePath().normalize();
        Path envDir = o.projectDirectory() != null ? cwd.resolve(o.projectDirectory())
                : !o.files().isEmpty() ? cwd.resolve(o.files().getFirst()).getParent() : cwd;
        Map<String, String> env = environment(o, envDir, cwd);
        List<Path> files = files(o, cwd, env);
        Path projectDir = o.projectDirectory() != null ? cwd.resolve(o.projectDirectory()).normalize() : files.getFirst().getParent();
        ObjectNode model = loadFiles(files, projectDir, env::get, new LinkedHashSet<>());

        String name = projectName(o, env, model, projectDir);
        model.put("name", name);
        ObjectNode services = model.get("services") instanceof ObjectNode s ? s : model.putObject("services");
        applyProfiles(services, profiles(o, env), o.selectedServices());
        for (var e : services.properties()) {
            resolveEnvFiles(e.getKey(), (ObjectNode) e.getValue(), env::get);
        }
        nameResources(model, name);
        checkReferences(model);
        reorder(model);
        return new Project(name, projectDir, files, model, List.copyOf(warnings));
    }

    // ---- environment, files, name ------------------------------------------------------------

    private Map<String, String> environment(LoadOptions o, Path envDir, Path cwd) {
        Map<String, String> env = new HashMap<>();
        List<Path> envFiles = o.envFiles().isEmpty() ? List.of(envDir.resolve(".env"))
                : o.envFiles().stream().map(cwd::resolve).toList();
        for (Path f : envFiles) {
            if (!o.envFiles().isEmpty() || Files.isRegularFile(f)) {
                if (Files.isDirectory(f)) throw new ComposeException(f + " is a directory");
                env.putAll(EnvFile.read(f, name -> env.containsKey(name) ? env.get(name) : o.environment().get(name)));
            }
        }
        env.putAll(o.environment()); // the process environment wins over .env, as in Compose
        return env;
    }

    private static List<Path> files(LoadOptions o, Path cwd, Map<String, String> env) {
        List<String> named = o.files();
        if (named.isEmpty() && env.get("COMPOSE_FILE") != null && !env.get("COMPOSE_FILE").isEmpty()) {
            String sep = env.getOrDefault("COMPOSE_PATH_SEPARATOR", ":");
            named = Arrays.asList(env.get("COMPOSE_FILE").split(java.util.regex.Pattern.quote(sep)));
        }
        if (!named.isEmpty()) {
            List<Path> out = new ArrayList<>();
            for (String f : named) {
                Path p = cwd.resolve(f).normalize();
                if (!Files.isRegularFile(p)) throw new ComposeException("open " + p + ": no such file or directory");
                out.add(p);
            }
            return out;
        }
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            for (String candidate : DEFAULT_FILES) {
                Path p = dir.resolve(candidate);
                if (Files.isRegularFile(p)) {
                    List<Path> out = new ArrayList<>(List.of(p));
                    OVERRIDE_FILES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst().ifPresent(out::add);
                    return out;
                }
            }
        }
        throw new ComposeException("no configuration file provided: not found");
    }

    private static String projectName(LoadOptions o, Map<String, String> env, ObjectNode model, Path projectDir) {
        if (o.projectName() != null) {
            return checkedName(o.projectName());
        }
        String fromEnv = env.get("COMPOSE_PROJECT_NAME");
        if (fromEnv != null && !fromEnv.isEmpty()) return checkedName(fromEnv);
        if (model.hasNonNull("name") && !model.get("name").asText().isEmpty()) return checkedName(model.get("name").asText());
        String base = projectDir.getFileName() == null ? "" : projectDir.getFileName().toString();
        String n = normaliseName(base);
        if (n.isEmpty()) throw new ComposeException("project name must not be empty");
        return n;
    }

    /** Compose's normalisation of a directory name: lower case, only [a-z0-9_-], starting with a letter or digit. */
    static String normaliseName(String s) {
        String n = s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        return n.replaceFirst("^[_-]+", "");
    }

    private static String checkedName(String name) {
        if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new ComposeException("invalid project name \"" + name + "\": must consist only of lowercase alphanumeric "
                    + "characters, hyphens, and underscores as well as start with a letter or number");
        }
        return name;
    }

    // ---- files: read, interpolate, validate, normalise, include, extends, merge ----------------

    private ObjectNode loadFiles(List<Path> files, Path projectDir, Function<String, String> env, Set<Path> including) {
        ObjectNode merged = null;
        for (Path f : files) {
            ObjectNode one = loadFile(f, projectDir, env, including);
            merged = merged == null ? one : Merge.mappings(merged, one, "");
        }
        YamlMarkers.strip(merged);
        return merged;
    }

    private ObjectNode loadFile(Path file, Path base, Function<String, String> env, Set<Path> including) {
        ObjectNode model = readFile(file, base, env);
        if (model.get("include") instanceof ArrayNode includes) {
            for (JsonNode inc : includes) {
                include(model, inc, file, env, including);
            }
            model.remove("include");
        }
        if (model.get("services") instanceof ObjectNode services) {
            for (String name : names(services)) {
                services.set(name, extended(services, name, file, base, env, new LinkedHashSet<>()));
            }
        }
        return model;
    }

    private ObjectNode readFile(Path file, Path base, Function<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ComposeException("reading " + file + ": " + e.getMessage());
        }
        JsonNode tree = YamlTree.parse(text, file.toString());
        if (!(tree instanceof ObjectNode model)) {
            throw new ComposeException("validating " + file + ": top-level object must be a mapping");
        }
        Interpolation.tree(model, env, file.toString(), w -> { if (!warnings.contains(w)) warnings.add(w); });
        ComposeSchema.validate(model, file.toString(), validated);
        if (model.has("models")) {
            // AI models run by Docker Model Runner: nothing berth has
            throw new ComposeException(file + ": \"models\" is not supported by berth compose (see docs/compose.md)");
        }
        if (model.has("version")) {
            String w = file + ": the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion";
            if (!warnings.contains(w)) warnings.add(w);
            model.remove("version");
        }
        Normalize.file(model, base, env);
        return model;
    }

    private void include(ObjectNode model, JsonNode inc, Path file, Function<String, String> env, Set<Path> including) {
        Path dir = file.getParent();
        List<Path> paths = new ArrayList<>();
        JsonNode p = inc.isTextual() ? inc : inc.get("path");
        for (JsonNode x : p.isArray() ? p : F.arrayNode().add(p)) {
            paths.add(dir.resolve(x.asText()).normalize());
        }
        for (Path path : paths) {
            if (!Files.isRegularFile(path)) throw new ComposeException("include " + path + ": no such file or directory");
            if (!including.add(path)) throw new ComposeException("include cycle: " + path + " includes itself");
        }
        Path subDir = inc.hasNonNull("project_directory") ? dir.resolve(inc.get("project_directory").asText()).normalize()
                : paths.getFirst().getParent();
        Map<String, String> subEnv = new HashMap<>();
        List<Path> envFiles = new ArrayList<>();
        if (inc.has("env_file")) {
            JsonNode ef = inc.get("env_file");
            for (JsonNode x : ef.isArray() ? ef : F.arrayNode().add(ef)) envFiles.add(dir.resolve(x.asText()));
        } else if (Files.isRegularFile(subDir.resolve(".env"))) {
            envFiles.add(subDir.resolve(".env"));
        }
        for (Path f : envFiles) subEnv.putAll(EnvFile.read(f, env));
        Function<String, String> lookup = n -> env.apply(n) != null ? env.apply(n) : subEnv.get(n);
        ObjectNode sub = loadFiles(paths, subDir, lookup, including);
        for (String kind : List.of("services", "networks", "volumes", "secrets", "configs")) {
            if (!(sub.get(kind) instanceof ObjectNode imported)) continue;
            ObjectNode mine = model.get(kind) instanceof ObjectNode m ? m : model.putObject(kind);
            for (var e : imported.properties()) {
                if (mine.has(e.getKey()) && !mine.get(e.getKey()).equals(e.getValue())) {
                    throw new ComposeException(kind + "." + e.getKey() + " conflicts with imported resource");
                }
                mine.set(e.getKey(), e.getValue());
            }
        }
        paths.forEach(including::remove);
    }

    private ObjectNode extended(ObjectNode services, String name, Path file, Path base, Function<String, String> env, Set<String> chain) {
        ObjectNode service = (ObjectNode) services.get(name);
        JsonNode ext = service.get("extends");
        if (ext == null) return service;
        if (!chain.add(file + "#" + name)) {
            throw new ComposeException("circular reference with extends: " + String.join(" -> ", chain) + " -> " + name);
        }
        String baseName = ext.isTextual() ? ext.asText() : ext.path("service").asText();
        ObjectNode baseService;
        if (ext.hasNonNull("file")) {
            Path other = file.getParent().resolve(ext.get("file").asText()).normalize();
            if (!Files.isRegularFile(other)) throw new ComposeException("extends " + name + ": " + other + ": no such file or directory");
            ObjectNode otherModel = readFile(other, other.getParent(), env);
            ObjectNode otherServices = otherModel.get("services") instanceof ObjectNode s ? s : F.objectNode();
            if (!otherServices.has(baseName)) {
                throw new ComposeException("cannot extend service \"" + name + "\" in " + file + ": service \"" + baseName + "\" not found in " + other);
            }
            baseService = extended(otherServices, baseName, other, other.getParent(), env, chain);
        } else {
            if (!services.has(baseName)) {
                throw new ComposeException("cannot extend service \"" + name + "\" in " + file + ": service \"" + baseName + "\" not found");
            }
            baseService = extended(services, baseName, file, base, env, chain);
        }
        ObjectNode child = service.deepCopy();
        child.remove("extends");
        ObjectNode merged = baseService.deepCopy();
        merged.remove("extends");
        return Merge.mappings(merged, child, "services." + name);
    }

    // ---- profiles, env_file, resources --------------------------------------------------------

    private static List<String> profiles(LoadOptions o, Map<String, String> env) {
        if (!o.profiles().isEmpty()) return o.profiles();
        String p = env.get("COMPOSE_PROFILES");
        return p == null || p.isBlank() ? List.of() : Arrays.stream(p.split(",")).map(String::strip).toList();
    }

    private static void applyProfiles(ObjectNode services, List<String> active, List<String> selected) {
        for (String name : names(services)) {
            JsonNode profiles = services.get(name).get("profiles");
            if (profiles == null || profiles.isEmpty() || active.contains("*") || selected.contains(name)) continue;
            boolean on = false;
            for (JsonNode p : profiles) on |= active.contains(p.asText());
            if (!on) services.remove(name);
        }
        for (String name : selected) {
            if (!services.has(name)) throw new ComposeException("no such service: " + name);
        }
    }

    private static void resolveEnvFiles(String name, ObjectNode service, Function<String, String> env) {
        if (!(service.get("env_file") instanceof ArrayNode files)) return;
        ObjectNode merged = F.objectNode();
        for (JsonNode f : files) {
            Path p = Path.of(f.get("path").asText());
            if (f.hasNonNull("format")) {
                // "raw" (no quoting or interpolation) and other formats are read by Compose's plugins, not by berth
                throw new ComposeException("service \"" + name + "\": \"env_file.format\" is not supported by berth compose (see docs/compose.md)");
            }
            if (!Files.isRegularFile(p)) {
                if (f.path("required").asBoolean(true)) {
                    throw new ComposeException("env file " + p + " not found: stat " + p + ": no such file or directory");
                }
                continue;
            }
            EnvFile.read(p, env).forEach(merged::put);
        }
        if (service.get("environment") instanceof ObjectNode own) merged.setAll(own);
        service.set("environment", merged);
        service.remove("env_file");
    }

    private static void nameResources(ObjectNode model, String project) {
        boolean usesDefault = false;
        ObjectNode services = (ObjectNode) model.get("services");
        for (JsonNode s : services) {
            ObjectNode service = (ObjectNode) s;
            if (!service.has("network_mode") && !service.has("networks")) {
                service.putObject("networks").putNull("default");
            }
            usesDefault |= service.path("networks").has("default");
        }
        ObjectNode networks = model.get("networks") instanceof ObjectNode n ? n : F.objectNode();
        if (usesDefault && !networks.has("default")) networks.putObject("default");
        if (!networks.isEmpty()) model.set("networks", networks);
        for (String kind : List.of("networks", "volumes", "secrets", "configs")) {
            if (!(model.get(kind) instanceof ObjectNode defs)) continue;
            for (var e : defs.properties()) {
                ObjectNode def = e.getValue() instanceof ObjectNode d ? d : F.objectNode();
                e.setValue(def);
                if (!def.hasNonNull("name")) {
                    boolean external = def.path("external").asBoolean(false);
                    def.put("name", external || kind.equals("secrets") || kind.equals("configs") ? e.getKey() : project + "_" + e.getKey());
                }
            }
        }
    }

    private static void checkReferences(ObjectNode model) {
        ObjectNode services = (ObjectNode) model.get("services");
        JsonNode networks = model.path("networks");
        JsonNode volumes = model.path("volumes");
        for (var e : services.properties()) {
            String name = e.getKey();
            JsonNode s = e.getValue();
            s.path("depends_on").properties().forEach(d -> {
                if (!services.has(d.getKey()) && d.getValue().path("required").asBoolean(true)) {
                    throw new ComposeException("service \"" + name + "\" depends on undefined service \"" + d.getKey() + "\": invalid compose project");
                }
            });
            s.path("networks").fieldNames().forEachRemaining(n -> {
                if (!networks.has(n)) throw new ComposeException("service \"" + name + "\" refers to undefined network " + n + ": invalid compose project");
            });
            for (JsonNode v : s.path("volumes")) {
                if (v.path("type").asText().equals("volume") && v.hasNonNull("source") && !volumes.has(v.get("source").asText())) {
                    throw new ComposeException("service \"" + name + "\" refers to undefined volume " + v.get("source").asText() + ": invalid compose project");
                }
            }
            for (String kind : List.of("secrets", "configs")) {
                for (JsonNode ref : s.path(kind)) {
                    if (!model.path(kind).has(ref.path("source").asText())) {
                        throw new ComposeException("service \"" + name + "\" refers to undefined " + kind.substring(0, kind.length() - 1)
                                + " " + ref.path("source").asText() + ": invalid compose project");
                    }
                }
            }
        }
    }

    /** Top-level keys and services in a stable order (name, services sorted, then resources) as {@code config} prints. */
    private static void reorder(ObjectNode model) {
        ObjectNode copy = model.deepCopy();
        model.removeAll();
        model.set("name", copy.get("name"));
        for (String k : List.of("services", "networks", "volumes", "secrets", "configs")) {
            if (copy.get(k) instanceof ObjectNode o) model.set(k, sorted(o));
        }
        copy.properties().forEach(e -> { if (!model.has(e.getKey())) model.set(e.getKey(), e.getValue()); });
    }

    static ObjectNode sorted(ObjectNode o) {
        ObjectNode out = F.objectNode();
        names(o).stream().sorted().forEach(k -> out.set(k, o.get(k)));
        return out;
    }

    static List<String> names(ObjectNode o) {
        List<String> n = new ArrayList<>();
        o.fieldNames().forEachRemaining(n::add);
        return n;
    }
}
