package io.berth.runtime;

import java.nio.file.Path;

/**
 * Host-side configuration of the container runtime.
 *
 * @param dataRoot where containers/ lives (e.g. /var/lib/berth)
 * @param runRoot tmpfs-backed state of the OCI runtimes (crun/runc --root); gone after a reboot, as it should be
 * @param defaultRuntime "crun" or "runc"
 * @param initPath a static init (catatonit, tini-static) bind-mounted at /sbin/docker-init for --init
 */
public record RuntimeSettings(Path dataRoot, Path runRoot, String defaultRuntime, Path conmonPath, Path crunPath,
                             Path runcPath, Path initPath) {

    public static RuntimeSettings defaults(Path dataRoot) {
        return new RuntimeSettings(dataRoot, Path.of("/run/berth"), "crun", Path.of("/usr/bin/conmon"),
                Path.of("/usr/bin/crun"), Path.of("/usr/sbin/runc"), Path.of("/usr/bin/catatonit"));
    }

    public RuntimeSettings withRunRoot(Path p) {
        return new RuntimeSettings(dataRoot, p, defaultRuntime, conmonPath, crunPath, runcPath, initPath);
    }

    public RuntimeSettings withDefaultRuntime(String r) {
        return new RuntimeSettings(dataRoot, runRoot, r, conmonPath, crunPath, runcPath, initPath);
    }

    Path runtimePath(String runtime) {
        return switch (runtime) {
            case "runc" -> runcPath;
            case "crun" -> crunPath;
            default -> throw new io.berth.oci.errors.InvalidArgumentException("unknown or invalid runtime name: " + runtime);
        };
    }
}
