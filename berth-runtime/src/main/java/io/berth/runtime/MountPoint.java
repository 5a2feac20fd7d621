package io.berth.runtime;

import java.util.List;

/**
 * One mount a user asked for, resolved by the daemon: a host directory or file bound in, or a tmpfs. Docker's
 * inspect `Mounts` entry is built from it, config.json's mount from {@link OciConfig}.
 *
 * @param kind what is mounted
 * @param origin which create field asked for it (inspect lists Binds and Mounts entries, as Docker does, not Tmpfs)
 * @param source the host path of a bind; empty for a tmpfs
 * @param destination absolute path inside the container; the runtime resolves it inside the rootfs
 * @param readOnly mounted read-only
 * @param mode Docker's `Mode` as the user wrote it for a bind (`ro`, `rw,Z`...), empty otherwise
 * @param propagation a bind's propagation (`rprivate` unless asked), empty for a tmpfs
 * @param tmpfsOptions a tmpfs's kernel options (`size=64m`, `mode=1777`, `exec`...), empty for a bind
 */
public record MountPoint(Kind kind, Origin origin, String source, String destination, boolean readOnly, String mode,
                         String propagation, List<String> tmpfsOptions) {
    public enum Kind { BIND, TMPFS }

    public enum Origin { BINDS, MOUNTS, TMPFS }

    public MountPoint {
        source = source == null ? "" : source;
        mode = mode == null ? "" : mode;
        propagation = propagation == null ? "" : propagation;
        tmpfsOptions = tmpfsOptions == null ? List.of() : List.copyOf(tmpfsOptions);
    }

    public static MountPoint bind(Origin origin, String source, String destination, boolean readOnly, String mode, String propagation) {
        return new MountPoint(Kind.BIND, origin, source, destination, readOnly, mode, propagation, List.of());
    }

    public static MountPoint tmpfs(Origin origin, String destination, boolean readOnly, List<String> options) {
        return new MountPoint(Kind.TMPFS, origin, "", destination, readOnly, "", "", options);
    }
}
