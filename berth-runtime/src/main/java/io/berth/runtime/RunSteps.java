package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ordered steps of a container's run environment. Set-up runs them in order and, when one fails, tears
 * down the ones already done in reverse before reporting the failure; tear-down runs all of them in reverse,
 * whatever state they are in, and goes on past a failing step so that one stuck step does not leak the rest.
 */
final class RunSteps {
    private static final Logger LOG = Logger.getLogger(RunSteps.class.getName());
    private final List<ContainerStep> steps;

    RunSteps(List<ContainerStep> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * The default order: the rootfs first (the others write into it), a shareable /dev/shm, the namespaces of other containers to join
     * and the host's devices, then the daemon's steps, /etc files, the tmpfs of tmpfs volumes, the volumes' fill.
     *
     * @param containers a container by full id (NotFoundException when gone), for the namespaces it joins
     */
    static RunSteps standard(TmpfsVolumes tmpfsVolumes, List<ContainerStep> daemonSteps,
                             java.util.function.Function<String, Container> containers) {
        List<ContainerStep> all = new ArrayList<>();
        all.add(new RootfsStep());
        all.add(new ShareableShmStep());
        all.add(new NamespaceJoinStep(containers));
        all.add(new HostDevicesStep(java.nio.file.Path.of("/dev")));
        all.addAll(daemonSteps);
        all.add(new EtcFilesStep());
        all.add(new TmpfsVolumeStep(tmpfsVolumes));
        all.add(new VolumeFillStep());
        return new RunSteps(all);
    }

    StepRun setUp(Container c) {
        StepRun run = new StepRun(c);
        List<ContainerStep> done = new ArrayList<>();
        for (ContainerStep step : steps) {
            try {
                step.setUp(run);
                done.add(step);
            } catch (IOException | RuntimeException ex) {
                done.add(step); // a half-done step is undone too: each tear-down copes with any state
                tearDown(run, done);
                if (ex instanceof RuntimeException re) throw re;
                throw new SystemFailureException("setting up the " + step.name() + " of container " + c.id() + ": " + ex.getMessage(), ex);
            }
        }
        return run;
    }

    void tearDown(Container c) {
        tearDown(new StepRun(c), steps);
    }

    private static void tearDown(StepRun run, List<ContainerStep> done) {
        for (ContainerStep step : done.reversed()) {
            try {
                step.tearDown(run);
            } catch (IOException | RuntimeException ex) {
                LOG.log(Level.WARNING, "tearing down the " + step.name() + " of container " + run.container().id(), ex);
            }
        }
    }

    /** The rootfs: the image's layers under the container's upper dir, mounted at merged. */
    static final class RootfsStep implements ContainerStep {
        @Override
        public String name() {
            return "rootfs";
        }

        @Override
        public void setUp(StepRun run) {
            ContainerPaths p = run.container().paths();
            OverlayMount.mount(run.container().spec().rootfs().lowerDirs(), p.upperDir(), p.workDir(), p.mergedDir());
        }

        @Override
        public void tearDown(StepRun run) {
            OverlayMount.unmount(run.container().paths().mergedDir());
        }
    }

    /** /etc/hostname, /etc/hosts and /etc/resolv.conf, bind-mounted by the runtime; kept with the container. */
    static final class EtcFilesStep implements ContainerStep {
        @Override
        public String name() {
            return "/etc files";
        }

        @Override
        public void setUp(StepRun run) throws IOException {
            EtcFiles.write(run);
        }

        @Override
        public void tearDown(StepRun run) {
            // the files live in the container's directory and go with it
        }
    }

    /** The tmpfs under each tmpfs volume the container uses, counted per running user ({@link TmpfsVolumes}). */
    static final class TmpfsVolumeStep implements ContainerStep {
        private final TmpfsVolumes volumes;

        TmpfsVolumeStep(TmpfsVolumes volumes) {
            this.volumes = volumes;
        }

        @Override
        public String name() {
            return "tmpfs volumes";
        }

        @Override
        public void setUp(StepRun run) throws IOException {
            Container c = run.container();
            for (MountPoint m : c.spec().mounts().mounts()) {
                if (m.tmpfsVolume()) volumes.acquire(c.id(), m);
            }
        }

        @Override
        public void tearDown(StepRun run) throws IOException {
            Container c = run.container();
            for (MountPoint m : c.spec().mounts().mounts()) {
                if (m.tmpfsVolume()) volumes.release(c.id(), m);
            }
        }
    }

    /** Docker's copy-up of the image's content into new volumes; a filled volume is never filled again. */
    static final class VolumeFillStep implements ContainerStep {
        @Override
        public String name() {
            return "volumes";
        }

        @Override
        public void setUp(StepRun run) {
            Container c = run.container();
            for (MountPoint m : c.spec().mounts().mounts()) {
                if (m.kind() == MountPoint.Kind.VOLUME && m.copyUp()) VolumeCopyUp.fill(c.paths().mergedDir(), c.id(), m);
            }
        }

        @Override
        public void tearDown(StepRun run) {
            // volumes outlive the container's runs
        }
    }
}
