package io.berth.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query of a classic-builder {@code POST /build}. A build arg may map to null: {@code --build-arg KEY}
 * with no KEY in the environment, which docker sends as JSON null so the Dockerfile's default applies.
 *
 * @param dockerfile  the Dockerfile's path inside the context tar; null lets the daemon use "Dockerfile"
 * @param networkMode none, default or host; null sends "default" as docker does
 */
public record BuildOptions(List<String> tags, String dockerfile, Map<String, String> buildArgs,
                           Map<String, String> labels, String target, boolean noCache, boolean pull, boolean quiet,
                           String networkMode, List<String> cacheFrom) {

    public BuildOptions {
        tags = List.copyOf(tags);
        // copied keeping insertion order and null values, which Map.copyOf refuses
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        cacheFrom = List.copyOf(cacheFrom);
    }

    /** Options with nothing set but the tags. */
    public static BuildOptions tagged(String... tags) {
        return new BuildOptions(List.of(tags), null, Map.of(), Map.of(), null, false, false, false, null, List.of());
    }

    Query query() {
        Query q = Query.of().addAll("t", new ArrayList<>(tags)).add("dockerfile", dockerfile)
                .add("buildargs", buildArgs.isEmpty() ? null : jsonObject(buildArgs))
                .add("labels", labels.isEmpty() ? null : jsonObject(labels))
                .add("target", target == null || target.isEmpty() ? null : target)
                .flag("nocache", noCache).flag("pull", pull).flag("q", quiet)
                .add("networkmode", networkMode == null ? "default" : networkMode);
        if (!cacheFrom.isEmpty()) {
            var array = JsonNodeFactory.instance.arrayNode();
            cacheFrom.forEach(array::add);
            q.add("cachefrom", JsonTree.write(array));
        }
        // intermediate containers are removed after a successful step only, docker's default
        return q.add("rm", "1").add("forcerm", "0");
    }

    private static String jsonObject(Map<String, String> map) {
        var node = JsonNodeFactory.instance.objectNode();
        map.forEach(node::put);
        return JsonTree.write(node);
    }
}
