package io.berth.runtime;

import io.berth.linux.AtomicFile;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

/**
 * The start sequence of one run: fresh run files, the run's {@link RunSteps} (rootfs, network, /etc files,
 * volumes), config.json, conmon with `runtime create`, connecting attaches made before start, `runtime start`,
 * then the running state is published and the exit watch armed. A failed start is recorded as an exit (with Docker's 127/126/128),
 * ends the streams of pending attaches and removes an auto-remove container, as `docker run --rm` expects.
 */
final class ContainerStarter {
    private final RuntimeSettings settings;
    private final OciRuntimes runtimes;
    private final ConmonLauncher conmon;
    private final OciConfig.Host host;
    private final RunSteps steps;
    private final StatePublisher publisher;
    private final ContainerEvents events;
    private final BooleanSupplier closed;
    private final ObjLongConsumer<ContainerEntry> watchExit;
    private final Consumer<ContainerEntry> autoRemove;

    ContainerStarter(RuntimeSettings settings, OciRuntimes runtimes, ConmonLauncher conmon, OciConfig.Host host,
                     RunSteps steps, StatePublisher publisher, ContainerEvents events, BooleanSupplier closed,
                     ObjLongConsumer<ContainerEntry> watchExit, Consumer<ContainerEntry> autoRemove) {
        this.settings = settings;
        this.runtimes = runtimes;
        this.conmon = conmon;
        this.host = host;
        this.steps = steps;
        this.publisher = publisher;
        this.events = events;
        this.closed = closed;
        this.watchExit = watchExit;
        this.autoRemove = autoRemove;
    }

    /** Runs the container; the caller holds the op lock. */
    void start(ContainerEntry e) {
        Container c = e.c;
        ContainerPaths p = c.paths();
        OciRuntimeCli rt = runtimes.of(c);
        ContainerSpec spec = c.spec();
        prepareRunFiles(c);
        rt.deleteQuietly(c.id());
        ConmonLauncher.Launched launched;
        try {
            StepRun run = steps.setUp(c);
            ResolvedUser user = UserResolver.resolve(p.mergedDir(), spec.process().user(), spec.process().groupAdd());
            ObjectNode config = OciConfig.build(spec, p, user, host, run);
            // rebuilt on every start and read by the runtime right away: an fsync would only add latency
            AtomicFile.writeUnsynced(p.configFile(), ContainerStore.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config),
                    AtomicFile.OWNER_ONLY);
            StepEnv.write(p, run.env());
            if (!host.cgroupV2()) CpuRealtimeBudget.HOST.reserve(c.id(), spec.resources().cpu());
            launched = conmon.launch(c, rt, spec.process());
            // what the steps do meanwhile (the network's wiring) is done before the process runs
            run.awaitBeforeStart();
            connectPendingAttaches(e, p);
            rt.start(c.id(), !config.path("hooks").path("poststart").isEmpty());
        } catch (RuntimeException | IOException ex) {
            throw fail(e, c, rt, ex);
        }
        Container running = e.c.withState(e.c.state().running(launched.pid(), Instant.now())).withConmonPid(launched.conmonPid());
        long run = e.nextRun();
        publisher.publish(e, running);
        events.emit(c.id(), "start", Map.of("name", c.name(), "image", spec.image()));
        watchExit.accept(e, run);
    }

    /** Makes the run's directories and clears what an earlier run (or crash) left behind. */
    private void prepareRunFiles(Container c) {
        ContainerPaths p = c.paths();
        try {
            for (Path d : List.of(p.bundleDir(), p.upperDir(), p.workDir(), p.mergedDir(), p.exitDir(), p.persistDir(),
                    p.socketDir(), p.execDir())) {
                Files.createDirectories(d);
            }
            for (Path f : List.of(p.exitDir().resolve(c.id()), p.persistDir().resolve("exit"), p.persistDir().resolve("oom"),
                    p.pidFile(), p.bundleDir().resolve("attach"), p.ctlFifo(), p.winszFifo(), p.bundleDir().resolve("oom"))) {
                Files.deleteIfExists(f);
            }
            Files.createDirectories(settings.runRoot().resolve(c.runtime()));
        } catch (IOException ex) {
            throw new SystemFailureException("preparing container " + c.id() + ": " + ex.getMessage(), ex);
        }
    }

    /** conmon's attach socket exists once it has reported the pid, and the process has not run yet: no output is lost. */
    private static void connectPendingAttaches(ContainerEntry e, ContainerPaths p) {
        synchronized (e) {
            for (AttachSession a : e.pendingAttaches) {
                try {
                    a.connect(p.bundleDir());
                } catch (SystemFailureException ignored) {
                    a.abandon();
                }
            }
            e.pendingAttaches.clear();
        }
    }

    /** Records the failed start as an exit and returns what to throw. */
    private RuntimeException fail(ContainerEntry e, Container c, OciRuntimeCli rt, Exception ex) {
        ContainerPaths p = c.paths();
        rt.deleteQuietly(c.id());
        steps.tearDown(c);
        StartFailure failure = StartFailure.of(ex, c.spec().process().args().getFirst());
        ContainerState failed = new ContainerState(ContainerState.Status.EXITED, 0, failure.exitCode(), false,
                failure.message(), c.state().startedAt(), Instant.now());
        publisher.publish(e, e.c.withState(failed).withConmonPid(0));
        synchronized (e) {
            // Clients attached before start must see their streams end, or they wait forever.
            for (AttachSession a : e.pendingAttaches) a.abandon();
            e.pendingAttaches.clear();
            e.exitGeneration++;
            e.notifyAll();
        }
        // Docker removes an auto-remove container whose start failed; `run --rm` waits for that removal.
        if (c.spec().lifecycle().autoRemove() && !closed.getAsBoolean()) autoRemove.accept(e);
        return failure.toException(ex);
    }
}
