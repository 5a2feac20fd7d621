package io.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Settles the end of a run: once the exit watcher reports that conmon recorded the exit (or died), reads the
 * exit code and OOM marker, deletes the runtime's container and tears down its run steps (network, rootfs), emits "die", publishes
 * the exited state and then applies the restart policy (with Docker's backoff) or auto-remove. It never takes
 * the op lock while settling, so a stop holding it can wait for the exit; a restart takes it like any start,
 * and a stop that got there first wins.
 */
final class ExitSettler {
    private final ExitWatcher watcher;
    private final OciRuntimes runtimes;
    private final RunSteps steps;
    private final CgroupReader cgroups;
    private final StatePublisher publisher;
    private final ContainerEvents events;
    private final ContainerStarter starter;
    private final ContainerStopper stopper;
    private final ContainerRemover remover;
    private final BooleanSupplier closed;

    ExitSettler(ExitWatcher watcher, OciRuntimes runtimes, RunSteps steps, CgroupReader cgroups, StatePublisher publisher,
                ContainerEvents events, ContainerStarter starter, ContainerStopper stopper, ContainerRemover remover,
                BooleanSupplier closed) {
        this.watcher = watcher;
        this.runtimes = runtimes;
        this.steps = steps;
        this.cgroups = cgroups;
        this.publisher = publisher;
        this.events = events;
        this.starter = starter;
        this.stopper = stopper;
        this.remover = remover;
        this.closed = closed;
    }

    /** Settles the container once conmon has recorded the exit of run {@code run} (or died). */
    void watch(ContainerEntry e, long run) {
        Container c = e.c;
        JsonLogCopies.start(e);
        watcher.watch(c.paths().exitDir().resolve(c.id()), c.conmonPid(), () -> {
            if (!closed.getAsBoolean()) settle(e, run);
        });
    }

    void settle(ContainerEntry e, long run) {
        Container c;
        synchronized (e) {
            if (e.runGeneration != run || e.removed) return;
            c = e.c;
            if (!c.state().isRunning()) return;
        }
        JsonLogCopies.finish(e); // whoever sees the exit reads the whole log
        ContainerPaths p = c.paths();
        int code = readExitCode(p, c.id());
        boolean oom = Files.exists(p.persistDir().resolve("oom")) || cgroups.oomKilled(c.id());
        runtimes.of(c).deleteQuietly(c.id());
        steps.tearDown(c);
        ContainerState st = c.state().exited(code, oom, exitTime(p, c.id()));
        if (code == 255 && !Files.exists(p.exitDir().resolve(c.id()))) {
            st = st.withError("conmon exited without recording an exit code");
        }
        // stop/kill may have marked it manually stopped since c was read: decide on the newest flags.
        Container exited = e.c.withState(st).withConmonPid(0);
        boolean restart = !closed.getAsBoolean()
                && exited.spec().lifecycle().restartPolicy().shouldRestart(code, exited.manuallyStopped(), exited.restartCount());
        if (restart) {
            exited = exited.withState(st.withStatus(ContainerState.Status.RESTARTING)).withRestartCount(exited.restartCount() + 1);
        }
        // Events first: whoever waits for the exit (stop, wait) then finds "die" already emitted, as in Docker.
        if (oom) events.emit(c.id(), "oom", Map.of("name", c.name()));
        events.emit(c.id(), "die", Map.of("name", c.name(), "exitCode", Integer.toString(code)));
        synchronized (e) {
            e.exitGeneration++;
        }
        boolean autoRemove = !restart && exited.spec().lifecycle().autoRemove() && !closed.getAsBoolean();
        // An auto-removed container's exit is not saved (two fsyncs on `docker run --rm`'s wait, up to 35 ms each
        // under load): its directory is renamed away next, and a berthd killed before that finds container.json
        // still "running" with conmon gone, settles the exit again from conmon's exit file and removes it at start.
        publisher.publish(e, exited, !autoRemove);
        if (restart) {
            scheduleRestart(e, exited.restartCount(), Duration.between(c.state().startedAt(), Instant.now()));
        } else if (autoRemove) {
            remover.removeInBackground(e);
        }
    }

    private static int readExitCode(ContainerPaths p, String id) {
        for (Path f : List.of(p.exitDir().resolve(id), p.persistDir().resolve("exit"))) {
            try {
                if (Files.exists(f)) {
                    String s = Files.readString(f).trim();
                    if (!s.isEmpty()) {
                        int code = Integer.parseInt(s);
                        return code < 0 ? 255 : code;
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // try the next copy
            }
        }
        return 255;
    }

    /**
     * When the run ended: conmon writes the exit file as the process ends, so its time is the exit time even
     * when berthd settles it much later (the container ended while berthd was down).
     */
    private static Instant exitTime(ContainerPaths p, String id) {
        try {
            return Files.getLastModifiedTime(p.exitDir().resolve(id)).toInstant();
        } catch (IOException e) {
            return Instant.now(); // conmon died without recording the exit: this is the earliest berthd knew
        }
    }

    /** Docker's backoff: 100 ms doubling per consecutive restart, reset when the last run lasted 10 s or more. */
    void scheduleRestart(ContainerEntry e, int restartCount, Duration lastRun) {
        long delayMs = lastRun.toSeconds() >= 10 ? 100 : Math.min(100L << Math.min(restartCount - 1, 10), 60_000);
        Thread.ofVirtual().name("restart-" + e.c.id().substring(0, 12)).start(() -> {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException ex) {
                return;
            }
            e.opLock.lock();
            try {
                if (closed.getAsBoolean() || e.removed || e.c.state().status() != ContainerState.Status.RESTARTING) return;
                if (e.c.manuallyStopped()) {
                    stopper.settleStopped(e);
                    return;
                }
                starter.start(e);
                events.emit(e.c.id(), "restart", Map.of("name", e.c.name()));
            } catch (RuntimeException ex) {
                // the failed start is recorded in the state by the starter
            } finally {
                e.opLock.unlock();
            }
        });
    }
}
