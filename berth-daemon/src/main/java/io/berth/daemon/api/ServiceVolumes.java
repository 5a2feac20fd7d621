package io.berth.daemon.api;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.logging.Logger;

import io.berth.daemon.volumes.VolumeService;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.MountsSpec;
import io.berth.store.volumes.Volume;

/** {@link ContainerVolumes} over the daemon's {@link VolumeService}: the local driver, Docker's rules. */
public final class ServiceVolumes implements ContainerVolumes {
    private static final Logger LOG = Logger.getLogger(ServiceVolumes.class.getName());
    private final VolumeService service;
    private final Function<String, MountsSpec> containerMounts;

    /** @param containerMounts a container's mounts by id or name; throws NotFoundException for an unknown one */
    public ServiceVolumes(VolumeService service, Function<String, MountsSpec> containerMounts) {
        this.service = service;
        this.containerMounts = containerMounts;
    }

    @Override
    public MountsSpec mountsOf(String container) {
        return containerMounts.apply(container);
    }

    @Override
    public Provided provide(String name) {
        Volume v = service.create(name, null, null, null);
        Path source = service.source(v);
        java.util.List<String> tmpfs = service.tmpfsOptions(v);
        // copy-up stages beside _data and renames over it: never done to a user's host directory (a bind volume);
        // nor to a tmpfs volume, as its tmpfs is mounted over _data later and the copy would lie hidden under it
        // (Docker's copy into one is lost with its unmount)
        return new Provided(v.name(), source, tmpfs == null && source.equals(service.mountpoint(v.name())), tmpfs);
    }

    @Override
    public void removeAnonymous(ContainerSpec spec) {
        for (String name : spec.mounts().anonymousVolumes()) {
            try {
                service.remove(name, true);
            } catch (ConflictException | NotFoundException e) {
                // another container uses it too (or it is gone): it stays, as Docker's rm -v leaves it
                LOG.info("volume " + name + " of removed container " + spec.id() + " stays: " + e.getMessage());
            }
        }
    }
}
