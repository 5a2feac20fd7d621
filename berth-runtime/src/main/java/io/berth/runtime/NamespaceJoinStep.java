package io.berth.runtime;

import java.nio.file.Path;
import java.util.function.Function;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;

/**
 * {@code --pid container:X} and {@code --ipc container:X}: at each start, the namespace of X's running init
 * ({@code /proc/PID/ns/pid}, {@code /proc/PID/ns/ipc}) for the runtime to join, and for IPC the host directory that
 * is X's /dev/shm ({@link ShareableShmStep}). X must run now, and for IPC be shareable (Docker's rules and messages). The kernel keeps a
 * joined namespace alive while anyone is in it, so there is nothing to tear down.
 */
final class NamespaceJoinStep implements ContainerStep {
    private final Function<String, Container> containers;

    /** @param containers a container by full id; throws NotFoundException when it is gone */
    NamespaceJoinStep(Function<String, Container> containers) {
        this.containers = containers;
    }

    @Override
    public String name() {
        return "namespaces";
    }

    @Override
    public void setUp(StepRun run) {
        NamespacesSpec ns = run.container().spec().namespaces();
        String pidTarget = NamespacesSpec.joinedContainer(ns.pid());
        if (!pidTarget.isEmpty()) {
            int pid = runningPid(pidTarget, "PID");
            run.joinNamespace("pid", Path.of("/proc/" + pid + "/ns/pid"));
        }
        String ipcTarget = NamespacesSpec.joinedContainer(ns.ipc());
        if (!ipcTarget.isEmpty()) {
            int pid = runningPid(ipcTarget, "IPC");
            run.joinNamespace("ipc", Path.of("/proc/" + pid + "/ns/ipc"));
            run.shareDevShm(devShm(containers.apply(ipcTarget), 0));
        }
    }

    /**
     * The host directory that is the donor's /dev/shm: its shareable tmpfs, the host's /dev/shm, or what its own
     * donor shares (Docker's chain); any other donor does not share (Docker's message).
     */
    private Path devShm(Container donor, int depth) {
        String mode = donor.spec().namespaces().ipc();
        if (ShareableShmStep.applies(donor)) return ShareableShmStep.devShmOf(donor);
        if (mode.equals(NamespacesSpec.HOST)) return Path.of("/dev/shm");
        String next = NamespacesSpec.joinedContainer(mode);
        if (!next.isEmpty() && depth < 16) {
            try {
                return devShm(containers.apply(next), depth + 1);
            } catch (NotFoundException gone) {
                // fall through: nothing to share any more
            }
        }
        throw new InvalidArgumentException("failed to join IPC namespace: container " + donor.id()
                + ": non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
    }

    private int runningPid(String id, String kind) {
        Container c;
        try {
            c = containers.apply(id);
        } catch (NotFoundException e) {
            throw new InvalidArgumentException("failed to join " + kind + " namespace: No such container: " + id);
        }
        ContainerState s = c.state();
        if (s.status() == ContainerState.Status.RESTARTING) {
            throw new ConflictException("failed to join " + kind + " namespace: container " + id
                    + " is restarting, wait until the container is running");
        }
        if (!s.isRunning() || s.pid() <= 0) {
            throw new ConflictException("failed to join " + kind + " namespace: container " + id + " is not running");
        }
        return s.pid();
    }

    @Override
    public void tearDown(StepRun run) {
        // nothing was made
    }
}
