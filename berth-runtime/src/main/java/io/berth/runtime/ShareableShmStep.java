package io.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The /dev/shm of a container with {@code --ipc shareable}: a tmpfs berthd mounts on the host under the run
 * directory (RUN-DIR/shm, mode 1777, 64 MB, nosuid,nodev,noexec: Docker's), bound in as /dev/shm, so that a
 * container that joins its IPC namespace can bind the same directory (a mount inside another container's
 * mount namespace cannot be bound from outside it). Unmounted when the run ends; a joiner's bind keeps the
 * tmpfs alive until that one ends too. A user mount on /dev/shm replaces it (no tmpfs is made then).
 */
final class ShareableShmStep implements ContainerStep {
    private static final long MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8;

    @Override
    public String name() {
        return "shareable /dev/shm";
    }

    /** The host directory that is {@code c}'s /dev/shm when another container joins its IPC namespace. */
    static Path devShmOf(Container c) {
        return c.paths().runDir().resolve("shm");
    }

    static boolean applies(Container c) {
        return c.spec().namespaces().ipc().equals(NamespacesSpec.SHAREABLE)
                && c.spec().mounts().mounts().stream().noneMatch(m -> m.destination().equals("/dev/shm"));
    }

    @Override
    public void setUp(StepRun run) throws IOException {
        Container c = run.container();
        if (!applies(c)) return;
        Path shm = Files.createDirectories(devShmOf(c));
        if (!OverlayMount.isMounted(shm)) {
            LinuxCalls.mount("shm", shm.toString(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=67108864");
        }
        run.shareDevShm(shm);
    }

    @Override
    public void tearDown(StepRun run) {
        // only a shareable container ever has one (its spec does not change), so no other pays for the look-up
        if (applies(run.container())) OverlayMount.unmount(devShmOf(run.container()));
    }
}
