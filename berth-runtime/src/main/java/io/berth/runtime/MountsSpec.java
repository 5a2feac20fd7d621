package io.berth.runtime;

import java.util.List;

/**
 * What is mounted into the container besides its rootfs and the fixed /proc, /dev, /sys set: binds, local
 * volumes and tmpfs mounts ({@link OciConfig} orders them, a parent before what is mounted under it).
 */
public record MountsSpec(List<MountPoint> mounts) {
    public static final MountsSpec NONE = new MountsSpec(List.of());

    public MountsSpec {
        // a container.json written before mounts existed has "mounts": {}
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /** Whether the container mounts the volume {@code name}. */
    public boolean usesVolume(String name) {
        return mounts.stream().anyMatch(m -> m.kind() == MountPoint.Kind.VOLUME && m.volume().equals(name));
    }

    /** The volumes made for this container alone. */
    public List<String> anonymousVolumes() {
        return mounts.stream().filter(m -> m.kind() == MountPoint.Kind.VOLUME && m.anonymous()).map(MountPoint::volume).toList();
    }
}
