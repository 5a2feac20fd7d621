package io.berth.runtime;

import java.util.List;

/**
 * One mount a user asked for, resolved by the daemon: a host directory or file bound in, a local volume's _data
 * directory bound in, or a tmpfs. Docker's
 * inspect `Mounts` entry is built from it, config.json's mount from {@link OciConfig}.
 *
 * @param kind what is mounted
 * @param origin which create field asked for it (inspect lists Binds and Mounts entries, as Docker does, not Tmpfs)
 * @param source the host path of a bind or of a volume's _data; empty for a tmpfs
 * @param destination absolute path inside the container; the runtime resolves it inside the rootfs
 * @param readOnly mounted read-only
 * @param mode Docker's `Mode` as the user wrote it for a bind (`ro`, `rw,Z`...), empty otherwise
 * @param propagation a bind's propagation (`rprivate` unless asked), empty for a tmpfs
 * @param tmpfsOptions a tmpfs's kernel options (`size=64m`, `mode=1777`, `exec`...), empty for a bind
 * @param volume a volume's name; empty for a bind or tmpfs
 * @param anonymous the volume was made for this container (`rm -v` and AutoRemove remove it)
 * @param copyUp an empty volume is first filled from the image's directory at the destination (not `nocopy`)
 * @param tmpfsVolume the volume is a local tmpfs volume: {@code tmpfsOptions} are its kernel options, and a tmpfs is
 *                    mounted on its _data while a running container uses it ({@link TmpfsVolumes})
 */
public record MountPoint(Kind kind, Origin origin, String source, String destination, boolean readOnly, String mode,
                         String propagation, List<String> tmpfsOptions, String volume, boolean anonymous,
                         boolean copyUp, boolean tmpfsVolume) {
    public enum Kind { BIND, VOLUME, TMPFS }

    /** Config.Volumes: an anonymous volume asked for by path, as an image's VOLUME asks for one. */
    public enum Origin { BINDS, MOUNTS, TMPFS, VOLUMES }

    public MountPoint {
        source = source == null ? "" : source;
        mode = mode == null ? "" : mode;
        propagation = propagation == null ? "" : propagation;
        tmpfsOptions = tmpfsOptions == null ? List.of() : List.copyOf(tmpfsOptions);
        volume = volume == null ? "" : volume;
    }

    public static MountPoint bind(Origin origin, String source, String destination, boolean readOnly, String mode, String propagation) {
        return new MountPoint(Kind.BIND, origin, source, destination, readOnly, mode, propagation, List.of(), "", false, false, false);
    }

    public static MountPoint volume(Origin origin, String name, String data, String destination, boolean readOnly, String mode,
                                    boolean anonymous, boolean copyUp) {
        return new MountPoint(Kind.VOLUME, origin, data, destination, readOnly, mode, "", List.of(), name, anonymous, copyUp, false);
    }

    /** A local tmpfs volume: a tmpfs with {@code options} is mounted on {@code data} while running containers use it. */
    public static MountPoint tmpfsVolume(Origin origin, String name, String data, String destination, boolean readOnly, String mode,
                                         boolean anonymous, List<String> options) {
        return new MountPoint(Kind.VOLUME, origin, data, destination, readOnly, mode, "", options, name, anonymous, false, true);
    }

    public static MountPoint tmpfs(Origin origin, String destination, boolean readOnly, List<String> options) {
        return new MountPoint(Kind.TMPFS, origin, "", destination, readOnly, "", "", options, "", false, false, false);
    }
}
