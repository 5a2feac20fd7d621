package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A loaded, normalised Compose project: its name, directory, files and the model as
 * {@code docker compose config} prints it.
 */
public record Project(String name, Path workingDir, List<Path> configFiles, ObjectNode model, List<String> warnings) {

    public ObjectNode services() {
        return (ObjectNode) model.get("services");
    }

    public ObjectNode service(String name) {
        JsonNode s = services().get(name);
        if (s == null) {
            throw new ComposeException("no such service: " + name);
        }
        return (ObjectNode) s;
    }

    public List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        services().fieldNames().forEachRemaining(names::add);
        return names;
    }

    public ObjectNode section(String kind) {
        return model.get(kind) instanceof ObjectNode o ? o : model.objectNode();
    }

    /** The named services and what they depend on, dependencies first (Compose's start order). */
    public List<String> startOrder(List<String> selected) {
        Set<String> done = new LinkedHashSet<>();
        for (String s : selected.isEmpty() ? serviceNames() : selected) {
            visit(s, done, new LinkedHashSet<>());
        }
        return new ArrayList<>(done);
    }

    /**
     * The services that depend on {@code service} with {@code restart: true}, and theirs in turn: Compose restarts
     * them when it restarts or recreates {@code service}.
     */
    public Set<String> restartDependents(String service) {
        Set<String> found = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(List.of(service));
        while (!todo.isEmpty()) {
            String dependency = todo.removeFirst();
            for (String s : serviceNames()) {
                JsonNode d = service(s).path("depends_on").path(dependency);
                if (d.path("restart").asBoolean(false) && found.add(s)) todo.add(s);
            }
        }
        found.remove(service);
        return found;
    }

    private void visit(String name, Set<String> done, Set<String> path) {
        if (done.contains(name)) return;
        if (!path.add(name)) {
            throw new ComposeException("dependency cycle detected: " + String.join(" -> ", path) + " -> " + name);
        }
        JsonNode deps = service(name).path("depends_on");
        deps.fieldNames().forEachRemaining(d -> {
            if (services().has(d)) visit(d, done, path);
        });
        path.remove(name);
        done.add(name);
    }
}
