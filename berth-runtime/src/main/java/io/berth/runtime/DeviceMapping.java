package io.berth.runtime;

/**
 * A host device made in the container ({@code --device /dev/fuse}, {@code --device /dev/null:/dev/mynull:rwm}).
 * A directory on the host stands for every device node under it, at the same place under pathInContainer.
 *
 * @param cgroupPermissions what the devices cgroup allows on it: one or more of r (read), w (write), m (mknod)
 */
public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    public DeviceMapping {
        pathInContainer = pathInContainer == null || pathInContainer.isEmpty() ? pathOnHost : pathInContainer;
        cgroupPermissions = cgroupPermissions == null || cgroupPermissions.isEmpty() ? "rwm" : cgroupPermissions;
    }
}
