package io.berth.runtime;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs containers for berthd. Each container is an overlay rootfs mounted by berthd, an OCI bundle written by
 * berthd, and a daemonized conmon that runs the OCI runtime, holds the container's stdio, writes its k8s-file
 * log and, when the container ends, its exit code. Because conmon outlives berthd, a new service on the same
 * data root {@link #recover() recovers} running containers and exits that happened meanwhile.
 *
 * <p>Life of a container: create ({@link ContainerCreator}) → start ({@link ContainerStarter}: mount,
 * config.json, conmon + `runtime create`, `runtime start`) → running (the {@link ExitWatcher} waits for
 * conmon's exit file) → exited ({@link ExitSettler}: runtime delete, unmount, restart policy, auto-remove) →
 * remove ({@link ContainerRemover}). Stop and kill are {@link ContainerStopper}'s. Lifecycle operations on one
 * container are serialized by its op lock; the exit settler never takes that lock, so stop can wait for the
 * exit while holding it. Health checks follow the lifecycle events ({@link ContainerHealth}). This class is the
 * public face: it finds the container and takes the lock.
 */
public final class ContainerService implements AutoCloseable {
    private final ContainerEvents events;
    private final CgroupReader cgroups = CgroupReader.host();
    private final ExitWatcher exitWatcher = new ExitWatcher();
    private final ContainerRegistry registry = new ContainerRegistry();
    private final OciRuntimes runtimes;
    private final StatePublisher publisher;
    private final ContainerCreator creator;
    private final ContainerStopper stopper;
    private final ExecRegistry execs;
    private final ContainerRemover remover;
    private final ContainerStarter starter;
    private final ExitSettler settler;
    private final ContainerRecovery recovery;
    private final ContainerHealth health;
    private volatile boolean closed;
    /** How often running containers' logs are checked against their max-size. */
    private static final long LOG_ROTATION_CHECK_MS = 200;
    private final TmpfsVolumes tmpfsVolumes;

    public ContainerService(RuntimeSettings settings, ContainerEvents events) {
        this(settings, events, spec -> {});
    }

    public ContainerService(RuntimeSettings settings, ContainerEvents events, java.util.function.Consumer<ContainerSpec> autoRemoved) {
        this(settings, events, autoRemoved, List.of());
    }

    /**
     * @param autoRemoved told of each container that AutoRemove removed (the daemon removes its anonymous volumes)
     * @param daemonSteps run steps the daemon adds between the rootfs and the /etc files (the network)
     */
    public ContainerService(RuntimeSettings settings, ContainerEvents events, java.util.function.Consumer<ContainerSpec> autoRemoved,
                            List<ContainerStep> daemonSteps) {
        this.tmpfsVolumes = new TmpfsVolumes(settings.runRoot());
        RunSteps steps = RunSteps.standard(tmpfsVolumes, daemonSteps, id -> registry.find(id).c);
        ContainerEvents outside = events == null ? ContainerEvents.NONE : events;
        // every lifecycle event also drives the health monitors (start, pause, unpause, die, destroy)
        this.events = (id, action, attributes) -> {
            outside.emit(id, action, attributes);
            observeHealth(id, action);
        };
        ContainerStore store = new ContainerStore(settings.dataRoot(), settings.runRoot());
        OciConfig.Host host = OciConfig.Host.current(settings.initPath());
        this.runtimes = new OciRuntimes(settings);
        this.publisher = new StatePublisher(store);
        this.creator = new ContainerCreator(settings, registry, store, this.events);
        this.stopper = new ContainerStopper(runtimes, publisher, this.events);
        this.execs = new ExecRegistry(runtimes, host, this.events, id -> registry.find(id).c);
        this.remover = new ContainerRemover(registry, execs, runtimes, steps, publisher, stopper, this.events, autoRemoved);
        // the starter arms the settler's exit watch, the settler restarts through the starter
        this.starter = new ContainerStarter(settings, runtimes, new ConmonLauncher(settings.conmonPath()), host, steps, publisher,
                this.events, () -> closed, this::watchExit, remover::removeInBackground);
        this.settler = new ExitSettler(exitWatcher, runtimes, steps, cgroups, publisher, this.events, starter, stopper, remover,
                () -> closed);
        this.recovery = new ContainerRecovery(store, registry, settler, remover, steps, this::start);
        this.health = new ContainerHealth(registry, publisher, execs, outside);
        Thread.ofVirtual().name("log-rotation").start(this::rotateLogs);
    }

    /**
     * Binds posix_spawn and the calls around it on a thread of its own, so that the first container start does not
     * pay for it. berthd calls this once its socket answers: done in the constructor, its ~40 FFM bindings competed
     * with berthd's start for the CPU.
     */
    public void warmUp() {
        Thread.ofVirtual().name("spawn-warm-up").start(PosixSpawn::warmUp);
    }

    /** Checks the logs of running containers whose driver rotates, a few times a second, until closed. */
    private void rotateLogs() {
        while (!closed) {
            for (ContainerEntry e : registry.entries()) {
                Container c = e.c;
                LogSettings log = c.spec().lifecycle().log();
                if (log.maxSize() > 0 && c.state().isRunning() && c.logFormat() == LogFormat.K8S_FILE) {
                    LogRotator.check(new LogFiles(c.paths().logFile(), e.logFilesLock), log, c.paths().ctlFifo());
                }
            }
            try {
                Thread.sleep(LOG_ROTATION_CHECK_MS);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    private void observeHealth(String id, String action) {
        health.observe(id, action);
    }

    private void watchExit(ContainerEntry e, long run) {
        settler.watch(e, run);
    }

    // ---------------------------------------------------------------- create / lookup

    public Container create(ContainerSpec spec) {
        return creator.create(spec);
    }

    public Container inspect(String idOrName) {
        return registry.find(idOrName).c;
    }

    public List<Container> list() {
        return registry.list();
    }

    // ---------------------------------------------------------------- start / stop / kill / restart / pause

    public void start(String idOrName) {
        ContainerEntry e = registry.find(idOrName);
        e.opLock.lock();
        try {
            ContainerState s = e.c.state();
            if (s.status() == ContainerState.Status.RUNNING) throw new FailedPreconditionException("container already started");
            if (s.status() == ContainerState.Status.PAUSED) {
                throw new ConflictException("cannot start a paused container, try unpause instead");
            }
            if (!s.canStart()) throw new ConflictException("cannot start container " + e.c.id() + " in state " + s.status().dockerName());
            if (e.c.manuallyStopped()) publisher.publish(e, e.c.withManuallyStopped(false));
            starter.start(e);
        } finally {
            e.opLock.unlock();
        }
    }

    public void stop(String idOrName, Integer timeoutSeconds) {
        stop(idOrName, timeoutSeconds, null);
    }

    /** @param signal the stop signal for this stop only (docker stop -s); null for the container's own */
    public void stop(String idOrName, Integer timeoutSeconds, String signal) {
        ContainerEntry e = registry.find(idOrName);
        Integer sig = signal == null || signal.isBlank() ? null : Signals.parse(signal, Signals.SIGTERM);
        e.opLock.lock();
        try {
            stopper.stop(e, timeoutSeconds, sig);
        } finally {
            e.opLock.unlock();
        }
    }

    public void kill(String idOrName, String signal) {
        ContainerEntry e = registry.find(idOrName);
        int sig = Signals.parse(signal, Signals.SIGKILL);
        e.opLock.lock();
        try {
            stopper.kill(e, sig, idOrName);
        } finally {
            e.opLock.unlock();
        }
    }

    public void restart(String idOrName, Integer timeoutSeconds) {
        restart(idOrName, timeoutSeconds, null);
    }

    /** @param signal the stop signal for this restart only (docker restart -s); null for the container's own */
    public void restart(String idOrName, Integer timeoutSeconds, String signal) {
        ContainerEntry e = registry.find(idOrName);
        if (signal != null && !signal.isBlank()) Signals.parse(signal, Signals.SIGTERM);
        if (e.c.state().isRunning() || e.c.state().status() == ContainerState.Status.RESTARTING) stop(e.c.id(), timeoutSeconds, signal);
        e.opLock.lock();
        try {
            if (e.c.state().canStart()) {
                if (e.c.manuallyStopped()) publisher.publish(e, e.c.withManuallyStopped(false));
                starter.start(e);
            }
        } finally {
            e.opLock.unlock();
        }
        events.emit(e.c.id(), "restart", Map.of("name", e.c.name()));
    }

    public void pause(String idOrName) {
        ContainerEntry e = registry.find(idOrName);
        e.opLock.lock();
        try {
            if (e.c.state().status() == ContainerState.Status.PAUSED) {
                throw new ConflictException("Container " + e.c.id() + " is already paused");
            }
            if (e.c.state().status() != ContainerState.Status.RUNNING) {
                throw new ConflictException("Container " + e.c.id() + " is not running");
            }
            runtimes.of(e.c).pause(e.c.id());
            publisher.publish(e, e.c.withState(e.c.state().withStatus(ContainerState.Status.PAUSED)));
            events.emit(e.c.id(), "pause", Map.of("name", e.c.name()));
        } finally {
            e.opLock.unlock();
        }
    }

    public void unpause(String idOrName) {
        ContainerEntry e = registry.find(idOrName);
        e.opLock.lock();
        try {
            if (e.c.state().status() != ContainerState.Status.PAUSED) {
                throw new ConflictException("Container " + e.c.id() + " is not paused");
            }
            runtimes.of(e.c).resume(e.c.id());
            publisher.publish(e, e.c.withState(e.c.state().withStatus(ContainerState.Status.RUNNING)));
            events.emit(e.c.id(), "unpause", Map.of("name", e.c.name()));
        } finally {
            e.opLock.unlock();
        }
    }

    /**
     * Runs {@code action} on the container under its op lock (no start, stop or removal meanwhile); with
     * {@code freeze}, a running container's processes are frozen (the runtime's pause) for the duration, so
     * its files hold still while they are read (docker commit --pause). State and events stay as they were.
     */
    public <T> T whileHeld(String idOrName, boolean freeze, Function<Container, T> action) {
        ContainerEntry e = registry.find(idOrName);
        e.opLock.lock();
        try {
            if (e.removed) throw new NotFoundException("No such container: " + idOrName);
            boolean frozen = freeze && e.c.state().status() == ContainerState.Status.RUNNING;
            if (frozen) runtimes.of(e.c).pause(e.c.id());
            try {
                return action.apply(e.c);
            } finally {
                if (frozen) runtimes.of(e.c).resume(e.c.id());
            }
        } finally {
            e.opLock.unlock();
        }
    }

    /**
     * docker update: new cgroup limits and restart policy. {@code change} returns the new spec from the current
     * one; a running container gets the limits in its cgroup through the runtime's update first, and only
     * when that succeeds is the spec saved (inspect shows it, every later start uses it).
     */
    public Container update(String idOrName, java.util.function.UnaryOperator<ContainerSpec> change) {
        ContainerEntry e = registry.find(idOrName);
        e.opLock.lock();
        try {
            if (e.removed) throw new NotFoundException("No such container: " + idOrName);
            ContainerSpec next = change.apply(e.c.spec());
            if (e.c.state().isRunning() && !next.resources().equals(e.c.spec().resources())) {
                try {
                    applyResources(e.c, next.resources());
                } catch (RuntimeException failed) {
                    // the runtime writes one controller after another: put back those it changed before failing
                    try {
                        applyResources(e.c, e.c.spec().resources());
                    } catch (RuntimeException ignored) {
                        failed.addSuppressed(ignored);
                    }
                    throw failed;
                }
            }
            Container changed = e.c.withSpec(next);
            publisher.publish(e, changed);
            events.emit(e.c.id(), "update", Map.of("name", e.c.name()));
            return changed;
        } finally {
            e.opLock.unlock();
        }
    }

    private void applyResources(Container c, Resources resources) {
        Path file = c.paths().bundleDir().resolve("update-resources.json");
        try {
            Files.write(file, io.berth.oci.Json.canonicalBytes(OciConfig.updateResources(resources)));
            if (!HostFacts.cgroupV2()) CpuRealtimeBudget.HOST.reserve(c.id(), resources.cpu());
            runtimes.of(c).update(c.id(), file);
        } catch (IOException ex) {
            throw new SystemFailureException("writing " + file + ": " + ex.getMessage(), ex);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover is rewritten by the next update and goes with the bundle
            }
        }
    }

    // ---------------------------------------------------------------- remove / rename / wait

    public void remove(String idOrName, boolean force) {
        remover.remove(registry.find(idOrName), force);
    }

    public void rename(String idOrName, String newName) {
        ContainerEntry e = registry.find(idOrName);
        String name = ContainerNames.normalize(newName);
        String old = registry.rename(e, name, () -> publisher.publish(e, e.c.withName(name)));
        events.emit(e.c.id(), "rename", Map.of("name", name, "oldName", "/" + old));
    }

    /**
     * Changes a container's network settings (network connect and disconnect) under its op lock, so no start,
     * stop or removal runs meanwhile. {@code change} sees the container as it is and returns its new settings;
     * for a running container it also attaches or detaches the live namespace, and when it throws nothing is
     * saved. The new settings are saved before this returns and apply to every later start.
     */
    public Container changeNetwork(String idOrName, Function<Container, NetworkSpec> change) {
        ContainerEntry e = registry.find(idOrName);
        e.opLock.lock();
        try {
            if (e.removed) throw new NotFoundException("No such container: " + idOrName);
            NetworkSpec next = change.apply(e.c);
            Container changed = e.c.withSpec(e.c.spec().toBuilder().network(next).build());
            publisher.publish(e, changed);
            return changed;
        } finally {
            e.opLock.unlock();
        }
    }

    /**
     * Blocks until the condition holds and returns the exit code: "not-running" (default; returns at once if
     * the container is not running), "next-exit" (the next exit after this call), "removed".
     */
    public int waitForExit(String idOrName, String condition) {
        return registry.find(idOrName).waitFor(condition);
    }

    // ---------------------------------------------------------------- files, attach, logs, resize

    /** The container's merged rootfs, mounted if it is not (for docker cp). The caller must not keep the path. */
    public Path rootfs(String idOrName) {
        Container c = registry.find(idOrName).c;
        OverlayMount.mount(c.spec().rootfs().lowerDirs(), c.paths().upperDir(), c.paths().workDir(), c.paths().mergedDir());
        return c.paths().mergedDir();
    }

    public AttachSession attach(String idOrName, boolean stdin, boolean stdout, boolean stderr, boolean logsFirst) {
        ContainerEntry e = registry.find(idOrName);
        Container c = e.c;
        AttachSession s = new AttachSession(c.id(), c.spec().process().tty(), stdin && c.spec().process().openStdin(), stdout, stderr,
                (h, w) -> resize(c.id(), h, w), () -> waitForExit(c.id(), "not-running"));
        if (logsFirst && c.spec().lifecycle().log().readable()) logs(c.id()).read(LogReader.Options.ALL, entry -> {
            s.prepend(entry);
            return true;
        });
        synchronized (e) {
            if (e.c.state().isRunning()) {
                s.connect(c.paths().bundleDir());
            } else if (e.c.state().canStart()) {
                e.pendingAttaches.add(s);
            } else {
                s.abandon();
            }
        }
        return s;
    }

    /** The container's log; a container whose driver keeps none answers Docker's 501. */
    public LogReader logs(String idOrName) {
        ContainerEntry e = registry.find(idOrName);
        if (!e.c.spec().lifecycle().log().readable()) {
            throw new io.berth.oci.errors.NotImplementedException("configured logging driver does not support reading");
        }
        return new LogReader(new LogFiles(e.c.logPath(), e.logFilesLock), e.c.logFormat(), () -> !e.removed
                && (e.c.state().isRunning() || e.c.state().status() == ContainerState.Status.RESTARTING));
    }

    /** Resizes the container's terminal through conmon's winsz FIFO. */
    public void resize(String idOrName, int height, int width) {
        Container c = registry.find(idOrName).c;
        if (!c.state().isRunning()) throw new ConflictException("Container " + c.id() + " is not running");
        if (!c.spec().process().tty()) return;
        Path fifo = c.paths().winszFifo();
        if (!Files.exists(fifo)) return;
        // O_RDWR never blocks on a FIFO, even if conmon is gone.
        try (var raf = new RandomAccessFile(fifo.toFile(), "rw")) {
            raf.write((height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ex) {
            throw new SystemFailureException("resizing terminal: " + ex.getMessage(), ex);
        }
    }

    // ---------------------------------------------------------------- exec

    public ExecSession execCreate(String idOrName, ExecSpec spec) {
        return execs.create(registry.find(idOrName).c, spec);
    }

    /** Starts a created exec session (Docker's exec start). */
    public void execStart(String execId) {
        execs.start(execId);
    }

    public ExecSession exec(String idOrName, ExecSpec spec) {
        ExecSession s = execCreate(idOrName, spec);
        execStart(s.id());
        return s;
    }

    public ExecSession execSession(String execId) {
        return execs.session(execId);
    }

    // ---------------------------------------------------------------- stats, top

    public ContainerStats stats(String idOrName) {
        Container c = registry.find(idOrName).c;
        if (!c.state().isRunning()) {
            return new ContainerStats(Instant.now(), 0, 0, 0, Map.of(), 0, List.of(), 0, 0,
                    CgroupReader.systemCpuUsage(), Runtime.getRuntime().availableProcessors(), 0, 0);
        }
        return cgroups.stats(c.id());
    }

    /** `ps` output (titles first) limited to the container's processes, as Docker's top does it. */
    public List<List<String>> top(String idOrName, String psArgs) {
        Container c = registry.find(idOrName).c;
        if (!c.state().isRunning()) throw new ConflictException("Container " + c.id() + " is not running");
        return ProcessTable.of(cgroups.pids(c.id()), psArgs);
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Loads every persisted container. Those recorded as running are checked: if their conmon still lives the
     * exit watch is re-armed; if the container ended while berthd was down, its exit code is read from
     * conmon's exit file and the restart policy applied.
     */
    public void recover() {
        recovery.recover();
        for (Container c : registry.list()) {
            if (c.state().status() == ContainerState.Status.RUNNING) health.resume(c.id());
        }
    }

    /** The tmpfs mounts of tmpfs volumes and their users (the daemon's start sweep and cp ask it). */
    public TmpfsVolumes tmpfsVolumes() {
        return tmpfsVolumes;
    }

    /** Stops watching; containers keep running under their conmon, to be recovered by the next service. */
    @Override
    public void close() {
        closed = true;
        for (ContainerEntry e : registry.entries()) JsonLogCopies.stop(e);
        health.close();
        exitWatcher.close();
    }
}
