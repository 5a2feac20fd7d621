package io.berth.runtime;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The host devices a container gets, read at each start (a device can come and go between runs): every node
 * of the host's /dev when privileged, otherwise the {@code --device} mappings, each with a devices cgroup rule
 * for its permissions. A missing device fails the start with Docker's message. Nothing to tear down: the runtime
 * makes the nodes in the container's own /dev.
 */
final class HostDevicesStep implements ContainerStep {
    private final Path hostDev;

    HostDevicesStep(Path hostDev) {
        this.hostDev = hostDev;
    }

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public void setUp(StepRun run) throws IOException {
        SecuritySpec security = run.container().spec().security();
        if (security.privileged()) {
            // every device is allowed by the cgroup already; a mapping to another path adds that node too (Docker's)
            for (HostDevices.LinuxDevice d : HostDevices.all(hostDev)) run.addDevice(d, null);
            for (DeviceMapping m : security.devices()) {
                if (m.pathOnHost().equals(m.pathInContainer())) continue;
                for (HostDevices.LinuxDevice d : HostDevices.of(m)) run.addDevice(d, null);
            }
            return;
        }
        for (DeviceMapping m : security.devices()) {
            for (HostDevices.LinuxDevice d : HostDevices.of(m)) {
                run.addDevice(d, new DeviceCgroupRule(d.type(), d.major(), d.minor(), m.cgroupPermissions()));
            }
        }
    }

    @Override
    public void tearDown(StepRun run) {
        // nothing was made outside the container
    }
}
