package io.berth.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The execution defaults inside an image config ({@code config} field), with Docker's capitalised JSON names.
 * {@code ExposedPorts} and {@code Volumes} are Go sets: maps whose values are empty objects.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerConfig(
        @JsonProperty("User") String user,
        @JsonProperty("ExposedPorts") Map<String, Map<String, Object>> exposedPorts,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("Entrypoint") List<String> entrypoint,
        @JsonProperty("Cmd") List<String> cmd,
        @JsonProperty("Volumes") Map<String, Map<String, Object>> volumes,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("StopSignal") String stopSignal,
        @JsonProperty("OnBuild") List<String> onBuild,
        @JsonProperty("Shell") List<String> shell,
        @JsonProperty("Healthcheck") JsonNode healthcheck) {

    /** A config with every field unset. */
    public static ContainerConfig empty() {
        return new ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public ContainerConfig withEnv(List<String> newEnv) {
        return new ContainerConfig(user, exposedPorts, newEnv, entrypoint, cmd, volumes, workingDir, labels,
                stopSignal, onBuild, shell, healthcheck);
    }

    public ContainerConfig withCmd(List<String> newCmd) {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, newCmd, volumes, workingDir, labels,
                stopSignal, onBuild, shell, healthcheck);
    }

    public ContainerConfig withEntrypoint(List<String> newEntrypoint) {
        return new ContainerConfig(user, exposedPorts, env, newEntrypoint, cmd, volumes, workingDir, labels,
                stopSignal, onBuild, shell, healthcheck);
    }

    public ContainerConfig withLabels(Map<String, String> newLabels) {
        return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, newLabels,
                stopSignal, onBuild, shell, healthcheck);
    }
}
