package io.berth.runtime;

/**
 * What happens around the container's runs: which OCI runtime starts it, whether it comes back after an exit,
 * whether it is removed once it exits.
 *
 * @param runtime "crun", "runc" or null for the daemon's default
 */
public record LifecycleSpec(RestartPolicy restartPolicy, boolean autoRemove, String runtime) {
    public static final LifecycleSpec DEFAULT = new LifecycleSpec(RestartPolicy.NONE, false, null);

    public LifecycleSpec {
        restartPolicy = restartPolicy == null ? RestartPolicy.NONE : restartPolicy;
    }
}
