package io.berth.runtime;

import java.util.List;

/**
 * What is mounted into the container besides its rootfs and the fixed /proc, /dev, /sys set: binds and tmpfs
 * mounts, in the order the runtime mounts them (a parent before what is mounted under it). Named and anonymous
 * volumes are added here when berth implements them, never before (create refuses them by name until then).
 */
public record MountsSpec(List<MountPoint> mounts) {
    public static final MountsSpec NONE = new MountsSpec(List.of());

    public MountsSpec {
        // a container.json written before mounts existed has "mounts": {}
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }
}
