package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Picks up the containers a previous berthd left behind. conmon outlives berthd, so a container recorded as
 * running may still run (its exit watch is re-armed) or may have ended meanwhile (its exit is settled from
 * conmon's exit file, restart policy included). Half-removed containers are removed; "always" and
 * "unless-stopped" containers that had exited are started, as Docker does when the daemon starts.
 * A container that is not running has its run steps torn down: a killed start (or a cp) may have left the
 * rootfs mounted or the network set up, nothing uses them now, and start and cp make them again when needed.
 */
final class ContainerRecovery {
    private final ContainerStore store;
    private final ContainerRegistry registry;
    private final ExitSettler settler;
    private final ContainerRemover remover;
    private final RunSteps steps;
    private final Consumer<String> start;

    /** {@code start} is the public start (state checks included) by container id. */
    ContainerRecovery(ContainerStore store, ContainerRegistry registry, ExitSettler settler, ContainerRemover remover,
                      RunSteps steps, Consumer<String> start) {
        this.store = store;
        this.registry = registry;
        this.settler = settler;
        this.remover = remover;
        this.steps = steps;
        this.start = start;
    }

    void recover() {
        for (Container loaded : store.loadAll()) {
            Container c = adoptUnrecordedRun(loaded);
            ContainerEntry e = new ContainerEntry(c);
            if (!registry.addRecovered(e)) continue;
            ContainerState.Status status = c.state().status();
            if (status == ContainerState.Status.CREATED || status == ContainerState.Status.EXITED
                    || status == ContainerState.Status.DEAD) {
                steps.tearDown(c);
            }
            if (status == ContainerState.Status.REMOVING || removedAtStart(c)) {
                remover.removeInBackground(e);
            } else if (c.state().isRunning()) {
                long run = e.nextRun();
                if (!Files.exists(c.paths().exitDir().resolve(c.id())) && ProcessLiveness.isConmonOf(c.conmonPid(), c.id())) {
                    settler.watch(e, run);
                } else {
                    settler.settle(e, run);
                }
            } else if (status == ContainerState.Status.RESTARTING) {
                settler.scheduleRestart(e, c.restartCount(), Duration.ZERO);
            } else if (status == ContainerState.Status.EXITED && startsWithDaemon(c)) {
                Thread.ofVirtual().start(() -> {
                    try {
                        start.accept(c.id());
                    } catch (RuntimeException ignored) {
                        // recorded in the container's state
                    }
                });
            }
        }
    }

    /**
     * An AutoRemove container that is not running and will not be restarted: its removal was due (berthd was killed
     * between the exit and the removal) or, made and never started, it would otherwise stay for good. dockerd
     * removes both at its start, as containers that outlived it are removed only once they have ended.
     */
    private static boolean removedAtStart(Container c) {
        ContainerState.Status status = c.state().status();
        return c.spec().lifecycle().autoRemove() && (status == ContainerState.Status.CREATED
                || status == ContainerState.Status.EXITED || status == ContainerState.Status.DEAD);
    }

    /**
     * A start whose "running" state never reached container.json (berthd killed between the runtime's start and
     * the save, or the save failed on a full disk) left a live conmon on the exec root whose run has not ended:
     * that container is running, whatever the document says, and is picked up as such.
     */
    private Container adoptUnrecordedRun(Container c) {
        ContainerPaths p = c.paths();
        if (c.state().isRunning() || c.state().status() == ContainerState.Status.REMOVING
                || Files.exists(p.exitDir().resolve(c.id()))) {
            return c;
        }
        try {
            int conmonPid = Integer.parseInt(Files.readString(p.conmonPidFile()).trim());
            int pid = Integer.parseInt(Files.readString(p.pidFile()).trim());
            if (!ProcessLiveness.isConmonOf(conmonPid, c.id())) return c;
            Container running = c.withState(c.state().running(pid, Files.getLastModifiedTime(p.pidFile()).toInstant()))
                    .withConmonPid(conmonPid);
            try {
                store.save(running);
            } catch (SystemFailureException e) {
                // still running in memory; the next state change saves again
            }
            return running;
        } catch (IOException | NumberFormatException e) {
            return c; // no run files, or a run that never got as far as its pid
        }
    }

    /**
     * Docker's rule for a container that was already stopped when the daemon went down: "always" starts again
     * even if it was stopped by hand (only the daemon's restart brings it back), "unless-stopped" only if it was
     * not. on-failure containers were settled by their policy when they exited.
     */
    private static boolean startsWithDaemon(Container c) {
        return switch (c.spec().lifecycle().restartPolicy().name()) {
            case "always" -> true;
            case "unless-stopped" -> !c.manuallyStopped();
            default -> false;
        };
    }
}
