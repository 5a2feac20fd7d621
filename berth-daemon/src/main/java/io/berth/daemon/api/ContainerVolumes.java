package io.berth.daemon.api;

import java.nio.file.Path;

import io.berth.runtime.ContainerSpec;

/** The volumes side of a container's create and removal: what MountRequests and `rm -v` ask of the volume service. */
public interface ContainerVolumes {
    /**
     * A volume ready to be bound: its name, its host directory (DATA-ROOT/volumes/NAME/_data, or a bind volume's
     * device), whether the image's content may be copied up into it (not into a host directory a user owns, nor
     * into a tmpfs volume, whose tmpfs is not mounted yet), and a tmpfs volume's kernel options (null otherwise).
     */
    record Provided(String name, Path data, boolean copyUp, java.util.List<String> tmpfs) {
        public Provided(String name, Path data) {
            this(name, data, true, null);
        }
    }

    /** The volume {@code name}, created when missing (as Docker does); an empty name makes a new anonymous volume. */
    Provided provide(String name);

    /**
     * The mounts of an existing container, for HostConfig.VolumesFrom.
     * @throws io.berth.oci.errors.NotFoundException "No such container: X" (a 404), as Docker's
     */
    default io.berth.runtime.MountsSpec mountsOf(String container) {
        throw new io.berth.oci.errors.NotFoundException("No such container: " + container);
    }

    /** Removes the container's anonymous volumes (rm -v, AutoRemove); one still used by another container stays. */
    void removeAnonymous(ContainerSpec spec);

    /** Where no volume service exists (unit tests of other fields): every volume is refused. */
    ContainerVolumes NONE = new ContainerVolumes() {
        @Override
        public Provided provide(String name) {
            throw new io.berth.oci.errors.InvalidArgumentException("volumes are not available here");
        }

        @Override
        public void removeAnonymous(ContainerSpec spec) {}
    };
}
