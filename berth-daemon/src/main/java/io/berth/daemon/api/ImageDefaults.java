package io.berth.daemon.api;

import io.berth.runtime.health.HealthConfig;

import java.util.List;
import java.util.Map;

/**
 * What a container inherits from its image's config when the create request leaves it out.
 *
 * @param volumes the image's VOLUME paths: each gets an anonymous volume unless the request mounts something there
 * @param exposedPorts the image's EXPOSE ports ("80/tcp"), merged with the request's Config.ExposedPorts
 * @param healthcheck the image's HEALTHCHECK, null when it has none
 * @param shell the image's SHELL (a CMD-SHELL healthcheck runs through it), empty for /bin/sh -c
 */
public record ImageDefaults(String imageId, List<String> entrypoint, List<String> cmd, List<String> env,
                            String workingDir, String user, String stopSignal, Map<String, String> labels, List<String> volumes,
                            List<String> exposedPorts, HealthConfig healthcheck, List<String> shell) {
    public ImageDefaults {
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
        shell = shell == null ? List.of() : List.copyOf(shell);
    }

    public ImageDefaults(String imageId, List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                         String user, String stopSignal, Map<String, String> labels, List<String> volumes) {
        this(imageId, entrypoint, cmd, env, workingDir, user, stopSignal, labels, volumes, List.of(), null, List.of());
    }

    public ImageDefaults(String imageId, List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
                         String user, String stopSignal, Map<String, String> labels) {
        this(imageId, entrypoint, cmd, env, workingDir, user, stopSignal, labels, List.of());
    }
}
