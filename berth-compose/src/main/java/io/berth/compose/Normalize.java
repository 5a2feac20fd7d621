package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns one file's short syntaxes into the long forms Compose's {@code config} prints, so that merging
 * and request building see one shape: environment / labels / args / sysctls / extra_hosts lists become
 * mappings, ports and volumes their long syntax, depends_on and networks mappings, secrets / configs
 * long syntax; relative paths (build context, bind sources, env_file, file secrets) become absolute
 * against {@code base}, the directory they are relative to.
 */
final class Normalize {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Normalize() {}

    static void file(ObjectNode model, Path base, Function<String, String> env) {
        if (model.get("services") instanceof ObjectNode services) {
            for (Map.Entry<String, JsonNode> e : services.properties()) {
                if (e.getValue() instanceof ObjectNode s) {
                    service(s, base, env);
                } else if (e.getValue().isNull()) {
                    e.setValue(F.objectNode());
                }
            }
        }
        for (String kind : new String[] {"secrets", "configs"}) {
            if (model.get(kind) instanceof ObjectNode defs) {
                defs.properties().forEach(d -> {
                    if (d.getValue() instanceof ObjectNode def && def.hasNonNull("file")) {
                        def.put("file", absolute(base, def.get("file").asText()));
                    }
                });
            }
        }
        for (String kind : new String[] {"networks", "volumes"}) {
            if (model.get(kind) instanceof ObjectNode defs) {
                defs.properties().forEach(d -> {
                    if (d.getValue().isNull()) d.setValue(F.objectNode());
                    if (d.getValue() instanceof ObjectNode def && def.has("labels")) def.set("labels", mapping(def.get("labels"), null));
                });
            }
        }
    }

    static void service(ObjectNode s, Path base, Function<String, String> env) {
        // a value tagged !override is normalised like any other, then tagged again for the merge
        java.util.List<String> overridden = new java.util.ArrayList<>();
        for (var e : s.properties()) {
            if (e.getValue() instanceof ObjectNode o && o.has(YamlTree.OVERRIDE)) {
                overridden.add(e.getKey());
                e.setValue(o.get(YamlTree.OVERRIDE));
            }
        }
        shortSyntaxes(s, base, env);
        for (String key : overridden) {
            ObjectNode marker = F.objectNode();
            marker.set(YamlTree.OVERRIDE, s.get(key));
            s.set(key, marker);
        }
    }

    private static void shortSyntaxes(ObjectNode s, Path base, Function<String, String> env) {
        // a string command is split into words as a shell would, as Compose's model holds it
        for (String key : new String[] {"command", "entrypoint"}) {
            if (s.get(key) != null && s.get(key).isTextual()) {
                ArrayNode words = F.arrayNode();
                Units.shellWords(s.get(key).asText()).forEach(words::add);
                s.set(key, words);
            }
        }
        if (s.get("healthcheck") instanceof ObjectNode h && h.get("test") != null && h.get("test").isTextual()) {
            h.set("test", F.arrayNode().add("CMD-SHELL").add(h.get("test").asText()));
        }
        if (s.has("environment")) s.set("environment", mapping(s.get("environment"), env));
        if (s.has("labels")) s.set("labels", mapping(s.get("labels"), null));
        if (s.has("sysctls")) s.set("sysctls", mapping(s.get("sysctls"), null));
        if (s.has("extra_hosts") && s.get("extra_hosts").isArray()) s.set("extra_hosts", hosts((ArrayNode) s.get("extra_hosts")));
        if (s.get("build") instanceof JsonNode build) {
            ObjectNode b = build.isTextual() ? F.objectNode().put("context", build.asText()) : (ObjectNode) build;
            if (!b.has("context")) b.put("context", ".");
            if (!b.get("context").asText().contains("://")) b.put("context", absolute(base, b.get("context").asText()));
            if (!b.has("dockerfile") && !b.has("dockerfile_inline")) b.put("dockerfile", "Dockerfile");
            if (b.has("args")) b.set("args", mapping(b.get("args"), env));
            if (b.has("labels")) b.set("labels", mapping(b.get("labels"), null));
            s.set("build", b);
        }
        if (s.has("env_file")) {
            ArrayNode files = F.arrayNode();
            JsonNode ef = s.get("env_file");
            for (JsonNode f : ef.isArray() ? ef : F.arrayNode().add(ef)) {
                ObjectNode o = f.isTextual() ? F.objectNode().put("path", f.asText()) : (ObjectNode) f.deepCopy();
                o.put("path", absolute(base, o.get("path").asText()));
                if (!o.has("required")) o.put("required", true);
                files.add(o);
            }
            s.set("env_file", files);
        }
        if (s.get("depends_on") instanceof ArrayNode deps) {
            ObjectNode m = F.objectNode();
            deps.forEach(d -> m.set(d.asText(), F.objectNode().put("condition", "service_started").put("required", true)));
            s.set("depends_on", m);
        } else if (s.get("depends_on") instanceof ObjectNode deps) {
            deps.properties().forEach(d -> {
                ObjectNode o = (ObjectNode) d.getValue();
                if (!o.has("required")) o.put("required", true);
            });
        }
        if (s.get("networks") instanceof ArrayNode nets) {
            ObjectNode m = F.objectNode();
            nets.forEach(n -> m.set(n.asText(), F.nullNode()));
            s.set("networks", m);
        }
        if (s.get("ports") instanceof ArrayNode ports) {
            ArrayNode out = F.arrayNode();
            ports.forEach(p -> Ports.normalise(p, out));
            s.set("ports", out);
        }
        if (s.get("expose") instanceof ArrayNode expose) {
            ArrayNode out = F.arrayNode();
            expose.forEach(x -> out.add(x.asText()));
            s.set("expose", out);
        }
        if (s.get("volumes") instanceof ArrayNode volumes) {
            ArrayNode out = F.arrayNode();
            volumes.forEach(v -> out.add(volume(v, base)));
            s.set("volumes", out);
        }
        for (String kind : new String[] {"secrets", "configs"}) {
            if (s.get(kind) instanceof ArrayNode refs) {
                ArrayNode out = F.arrayNode();
                refs.forEach(r -> out.add(r.isTextual() ? F.objectNode().put("source", r.asText()) : r));
                s.set(kind, out);
            }
        }
    }

    /** A list of KEY=VALUE (a KEY alone is looked up in {@code env} when given) or a mapping, as a mapping. */
    static ObjectNode mapping(JsonNode node, Function<String, String> env) {
        if (node instanceof ObjectNode o) {
            ObjectNode out = F.objectNode();
            o.properties().forEach(e -> out.set(e.getKey(), scalarText(e.getValue())));
            return out;
        }
        ObjectNode out = F.objectNode();
        for (JsonNode item : node) {
            String s = item.asText();
            int eq = s.indexOf('=');
            if (eq >= 0) {
                out.put(s.substring(0, eq), s.substring(eq + 1));
            } else {
                String v = env == null ? null : env.apply(s);
                if (v == null) out.putNull(s); else out.put(s, v);
            }
        }
        return out;
    }

    private static JsonNode scalarText(JsonNode v) {
        return v.isNull() || v.isContainerNode() ? v : F.textNode(v.asText());
    }

    private static ObjectNode hosts(ArrayNode list) {
        ObjectNode out = F.objectNode();
        for (JsonNode item : list) {
            String s = item.asText();
            int sep = s.indexOf('=') >= 0 ? s.indexOf('=') : s.indexOf(':');
            if (sep < 0) throw new ComposeException("invalid extra_hosts entry '" + s + "': expected HOST:IP or HOST=IP");
            out.put(s.substring(0, sep), s.substring(sep + 1));
        }
        return out;
    }

    static JsonNode volume(JsonNode v, Path base) {
        if (v instanceof ObjectNode o) {
            ObjectNode copy = o.deepCopy();
            if ("bind".equals(copy.path("type").asText()) && copy.hasNonNull("source")) {
                copy.put("source", absolute(base, copy.get("source").asText()));
            }
            return copy;
        }
        String spec = v.asText();
        String[] parts = spec.split(":");
        ObjectNode o = F.objectNode();
        if (parts.length == 1) {
            o.put("type", "volume");
            o.put("target", parts[0]);
            o.set("volume", F.objectNode());
            return o;
        }
        if (parts.length > 3) throw new ComposeException("invalid volume specification: '" + spec + "'");
        String source = parts[0];
        boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
        o.put("type", bind ? "bind" : "volume");
        o.put("source", bind ? absolute(base, source) : source);
        o.put("target", parts[1]);
        String mode = parts.length == 3 ? parts[2] : "";
        for (String m : mode.isEmpty() ? new String[0] : mode.split(",")) {
            switch (m) {
                case "ro" -> o.put("read_only", true);
                case "rw" -> { }
                case "z", "Z" -> {
                    if (!bind) throw new ComposeException("invalid volume specification: '" + spec + "': mode " + m + " applies to bind mounts only in berth compose");
                    (o.has("bind") ? (ObjectNode) o.get("bind") : o.putObject("bind")).put("selinux", m);
                }
                case "shared", "rshared", "slave", "rslave", "private", "rprivate" -> {
                    if (!bind) throw new ComposeException("invalid volume specification: '" + spec + "': propagation " + m + " applies to bind mounts only");
                    (o.has("bind") ? (ObjectNode) o.get("bind") : o.putObject("bind")).put("propagation", m);
                }
                case "nocopy" -> o.putObject("volume").put("nocopy", true);
                default -> throw new ComposeException("invalid volume specification: '" + spec + "': unknown mode " + m);
            }
        }
        if (bind) {
            ObjectNode b = o.has("bind") ? (ObjectNode) o.get("bind") : o.putObject("bind");
            b.put("create_host_path", true);
        } else if (!o.has("volume")) {
            o.putObject("volume");
        }
        return o;
    }

    static String absolute(Path base, String path) {
        if (path.startsWith("~/") || path.equals("~")) {
            return Path.of(System.getProperty("user.home")).resolve(path.substring(Math.min(2, path.length()))).normalize().toString();
        }
        return base.resolve(path).normalize().toString();
    }
}
