package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a container crun has created the way `crun start` does, from berthd instead of a crun launch: one program
 * launch fewer on every start (crun's launch re-executes itself from a sealed copy first: 3 ms here when quiet, up
 * to 20 under load). crun's init of a created container blocks reading {@code <state dir>/exec.fifo}; `crun start`
 * (crun 1.x, libcrun_container_start) checks the container is alive, opens the FIFO for writing, unlinks it, writes
 * one byte, then runs the poststart hooks and, with NOTIFY_SOCKET set, waits for the container's READY. The FIFO's
 * absence is what `crun state` reads as "running". Here: the open does not wait (ENXIO when the init is gone, which
 * is crun's liveness check without a pid race), then unlink and write as crun does. Hooks and the notify socket are
 * the caller's to rule out ({@link OciRuntimeCli#start}); runc's FIFO works the other way round (its init writes,
 * `runc start` reads) and is never released here.
 */
final class ExecFifoRelease {
    private static final int ENOENT = 2;
    private static final int ENXIO = 6;

    private ExecFifoRelease() {}

    /**
     * Releases the created container whose crun state directory is {@code stateDir}. False when no created container
     * waits there (no FIFO, or nobody reading it): the caller then runs `runtime start`, whose error says why.
     */
    static boolean release(Path stateDir) {
        Path fifo = stateDir.resolve("exec.fifo");
        int fd;
        try {
            fd = LinuxCalls.openFifoForWritingNow(fifo.toString());
        } catch (ErrnoException e) {
            if (e.errno() == ENOENT || e.errno() == ENXIO) return false;
            throw new SystemFailureException("starting the container: " + e.getMessage(), e);
        }
        try {
            Files.delete(fifo);
            LinuxCalls.write(fd, new byte[] {0}, 0, 1);
            return true;
        } catch (IOException e) {
            throw new SystemFailureException("starting the container through " + fifo + ": " + e.getMessage(), e);
        } finally {
            LinuxCalls.close(fd);
        }
    }
}
