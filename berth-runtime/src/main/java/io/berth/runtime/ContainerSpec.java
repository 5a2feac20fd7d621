package io.berth.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything berth needs to run one container, as the daemon resolved it from a Docker create request:
 * the final argv (entrypoint and cmd merged), the image's rootfs layers and the host-side settings.
 *
 * @param id 64 lowercase hex characters
 * @param name without or with a leading "/"; empty lets berth pick one
 * @param image the image reference as the user typed it
 * @param imageId "sha256:..."
 * @param user "", "name", "uid", "uid:gid", "name:group"
 * @param stopSignal "SIGTERM", "TERM" or a number; null or empty means SIGTERM
 * @param seccomp the filter from {@code --security-opt seccomp=…}; null means berth's builtin one
 * @param runtime "crun", "runc" or null for the daemon's default
 * @param extra opaque to berth-runtime: the daemon keeps the Docker create body here for inspect
 */
public record ContainerSpec(
        String id, String name, String image, String imageId,
        List<String> args, List<String> env, String workingDir, String user,
        String hostname, boolean tty, boolean openStdin, boolean init, boolean readOnlyRootfs, boolean privileged,
        List<String> capAdd, List<String> capDrop, boolean noNewPrivileges, SeccompSetting seccomp, String stopSignal, Integer stopTimeoutSeconds,
        Resources resources, RestartPolicy restartPolicy, boolean autoRemove, String runtime,
        Map<String, String> labels, RootfsLayers rootfs, Instant created, Map<String, Object> extra) {

    public ContainerSpec {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
        resources = resources == null ? Resources.UNLIMITED : resources;
        seccomp = seccomp == null ? SeccompSetting.BUILTIN : seccomp;
        restartPolicy = restartPolicy == null ? RestartPolicy.NONE : restartPolicy;
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        hostname = hostname == null ? "" : hostname;
        image = image == null ? "" : image;
        imageId = imageId == null ? "" : imageId;
    }

    ContainerSpec withName(String newName) {
        return new ContainerSpec(id, newName, image, imageId, args, env, workingDir, user, hostname, tty, openStdin, init,
                readOnlyRootfs, privileged, capAdd, capDrop, noNewPrivileges, seccomp, stopSignal, stopTimeoutSeconds, resources,
                restartPolicy, autoRemove, runtime, labels, rootfs, created, extra);
    }
}
