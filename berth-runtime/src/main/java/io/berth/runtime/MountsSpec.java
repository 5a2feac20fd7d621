package io.berth.runtime;

/**
 * What is mounted into the container besides its rootfs and the fixed /proc, /dev, /sys set. Empty for now:
 * volumes, binds and tmpfs mounts are added here as fields when berth implements them, never before (create
 * refuses Binds, Mounts, Tmpfs and Volumes by name until then).
 */
public record MountsSpec() {
    public static final MountsSpec NONE = new MountsSpec();
}
