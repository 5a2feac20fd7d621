package io.berth.runtime;

import io.berth.runtime.health.HealthConfig;

import java.util.List;

/**
 * What happens around the container's runs: which OCI runtime starts it, whether it comes back after an exit,
 * whether it is removed once it exits.
 *
 * @param runtime "crun", "runc" or null for the daemon's default
 * @param healthcheck the merged healthcheck (request over image), null when neither has one
 * @param shell the image's SHELL, which a CMD-SHELL check runs through; empty for /bin/sh -c
 * @param log the logging driver and its options; null (containers made before drivers) reads as k8s-file
 */
public record LifecycleSpec(RestartPolicy restartPolicy, boolean autoRemove, String runtime, HealthConfig healthcheck,
                            List<String> shell, LogSettings log) {
    public static final LifecycleSpec DEFAULT = new LifecycleSpec(RestartPolicy.NONE, false, null);

    public LifecycleSpec {
        restartPolicy = restartPolicy == null ? RestartPolicy.NONE : restartPolicy;
        shell = shell == null ? List.of() : List.copyOf(shell);
        log = log == null ? LogSettings.K8S_FILE : log;
    }

    public LifecycleSpec(RestartPolicy restartPolicy, boolean autoRemove, String runtime, HealthConfig healthcheck,
                         List<String> shell) {
        this(restartPolicy, autoRemove, runtime, healthcheck, shell, null);
    }

    public LifecycleSpec(RestartPolicy restartPolicy, boolean autoRemove, String runtime) {
        this(restartPolicy, autoRemove, runtime, null, List.of());
    }
}
