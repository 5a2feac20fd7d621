package io.berth.daemon.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.berth.oci.ContainerConfig;
import io.berth.runtime.ContainerSpec;

/**
 * The config of an image `docker commit` makes: the container's own config (what it runs with: its image's
 * defaults under its create request) with the commit's `--change` instructions applied on top, the way a
 * Dockerfile applies them: CMD replaces the command; ENTRYPOINT replaces the entrypoint and clears the command
 * unless CMD is among the changes too; ENV, LABEL, EXPOSE and VOLUME add to what is there; WORKDIR (relative to
 * the current one), USER, STOPSIGNAL and HEALTHCHECK replace; ONBUILD appends.
 */
final class CommitConfig {
    private CommitConfig() {}

    /** What the container runs with, as an image config's `config`. */
    static ContainerConfig of(ContainerSpec spec, ContainerConfig image) {
        ContainerConfig base = image == null ? ContainerConfig.empty() : image;
        JsonNode body = spec.extra().get("createBody") instanceof JsonNode n ? n : MissingNode.getInstance();
        CreateRequestTranslator.Command command = CreateRequestTranslator.command(body, orEmpty(base.entrypoint()), orEmpty(base.cmd()));
        Map<String, Map<String, Object>> ports = union(base.exposedPorts(), body.path("ExposedPorts"));
        Map<String, Map<String, Object>> volumes = union(base.volumes(), body.path("Volumes"));
        return new ContainerConfig(spec.process().user(), ports, spec.process().env(),
                command.entrypoint().isEmpty() ? null : command.entrypoint(), command.cmd().isEmpty() ? null : command.cmd(),
                volumes, spec.process().workingDir(), spec.labels().isEmpty() ? null : spec.labels(),
                spec.process().stopSignal(), base.onBuild(), base.shell(), healthcheck(spec, base));
    }

    /** The container's healthcheck (its image's merged with its create request's, as inspect shows it). */
    private static JsonNode healthcheck(ContainerSpec spec, ContainerConfig image) {
        if (spec.lifecycle().healthcheck() == null) return image.healthcheck();
        return io.berth.daemon.http.ApiJson.MAPPER.valueToTree(HealthcheckJson.render(spec.lifecycle().healthcheck()));
    }

    /** {@code changes} (only the fields the instructions set, from ImportChanges) applied to {@code current}. */
    static ContainerConfig withChanges(ContainerConfig current, ContainerConfig changes) {
        List<String> cmd = changes.cmd() != null ? changes.cmd() : changes.entrypoint() != null ? null : current.cmd();
        List<String> entrypoint = changes.entrypoint() != null ? changes.entrypoint() : current.entrypoint();
        List<String> env = current.env();
        if (changes.env() != null) env = CreateRequestTranslator.mergeEnv(orEmpty(current.env()), changes.env());
        Map<String, String> labels = merged(current.labels(), changes.labels());
        Map<String, Map<String, Object>> ports = merged(current.exposedPorts(), changes.exposedPorts());
        Map<String, Map<String, Object>> volumes = merged(current.volumes(), changes.volumes());
        List<String> onBuild = current.onBuild();
        if (changes.onBuild() != null) {
            onBuild = new ArrayList<>(orEmpty(current.onBuild()));
            onBuild.addAll(changes.onBuild());
        }
        return new ContainerConfig(
                changes.user() != null ? changes.user() : current.user(), ports, env, entrypoint, cmd, volumes,
                changes.workingDir() != null ? workdir(current.workingDir(), changes.workingDir()) : current.workingDir(), labels,
                changes.stopSignal() != null ? changes.stopSignal() : current.stopSignal(), onBuild, current.shell(),
                changes.healthcheck() != null ? changes.healthcheck() : current.healthcheck());
    }

    /** WORKDIR as a Dockerfile takes it: a relative path goes on from the current one. */
    private static String workdir(String current, String next) {
        if (next.startsWith("/")) return next;
        String base = current == null || current.isEmpty() ? "/" : current;
        return java.nio.file.Path.of(base).resolve(next).normalize().toString();
    }

    private static <V> Map<String, V> merged(Map<String, V> current, Map<String, V> added) {
        if (added == null) return current;
        Map<String, V> out = new LinkedHashMap<>(current == null ? Map.of() : current);
        out.putAll(added);
        return out;
    }

    private static Map<String, Map<String, Object>> union(Map<String, Map<String, Object>> image, JsonNode requested) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>(image == null ? Map.of() : image);
        requested.properties().forEach(e -> out.put(e.getKey(), Map.of()));
        return out.isEmpty() ? null : out;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
