package io.berth.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Runs containers for berthd. Each container is an overlay rootfs mounted by berthd, an OCI bundle written by
 * berthd, and a daemonized conmon that runs the OCI runtime, holds the container's stdio, writes its k8s-file
 * log and, when the container ends, its exit code. Because conmon outlives berthd, a new service on the same
 * data root {@link #recover() recovers} running containers and exits that happened meanwhile.
 *
 * <p>Life of a container: create (persisted, dirs made) → start (mount, config.json, conmon + `runtime create`,
 * `runtime start`) → running (a watcher waits for conmon's exit file) → exited (runtime delete, unmount, restart
 * policy) → remove (files deleted). Lifecycle operations on one container are serialized by its lock; the exit
 * watcher never takes that lock, so stop can wait for the exit while holding it.
 */
public final class ContainerService implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RuntimeSettings settings;
    private final ContainerEvents events;
    private final ContainerStore store;
    private final ConmonLauncher conmon;
    private final CgroupReader cgroups = CgroupReader.host();
    private final ExitWatcher exits = new ExitWatcher();
    private final OciConfig.Host host;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<String, ExecSession> execs = new ConcurrentHashMap<>();
    private final Object namesLock = new Object();
    private volatile boolean closed;

    /** Mutable bookkeeping of one container; {@code c} is the published snapshot. */
    private static final class Entry {
        final ReentrantLock opLock = new ReentrantLock();
        volatile Container c;
        long exitGeneration;
        long runGeneration;
        boolean removed;
        final List<AttachSession> pendingAttaches = new ArrayList<>();
        /** Serialises writes of container.json; once the directory is being deleted nothing may recreate it. */
        final Object saveLock = new Object();
        boolean deleting;

        Entry(Container c) {
            this.c = c;
        }
    }

    public ContainerService(RuntimeSettings settings, ContainerEvents events) {
        this.settings = settings;
        this.events = events == null ? ContainerEvents.NONE : events;
        this.store = new ContainerStore(settings.dataRoot());
        this.conmon = new ConmonLauncher(settings.conmonPath());
        this.host = OciConfig.Host.current(settings.initPath());
    }

    // ---------------------------------------------------------------- create / lookup

    public Container create(ContainerSpec spec) {
        LatTrace.mark(spec.id(), "create-begin");
        if (spec.id() == null || !ID.matcher(spec.id()).matches()) {
            throw new InvalidArgumentException("container id must be 64 lowercase hex characters");
        }
        if (spec.rootfs() == null || spec.rootfs().lowerDirs().isEmpty()) {
            throw new InvalidArgumentException("container has no rootfs layers");
        }
        if (spec.args().isEmpty()) throw new InvalidArgumentException("No command specified");
        String runtime = spec.runtime() == null || spec.runtime().isEmpty() ? settings.defaultRuntime() : spec.runtime();
        settings.runtimePath(runtime);
        if (!spec.capAdd().isEmpty() || !spec.capDrop().isEmpty()) {
            Capabilities.compute(false, spec.capAdd(), spec.capDrop(), -1L);
        }
        if (spec.stopSignal() != null) Signals.parse(spec.stopSignal(), Signals.SIGTERM);
        ContainerPaths paths = ContainerPaths.of(settings.dataRoot(), spec.id());
        Entry entry;
        synchronized (namesLock) {
            if (byId.containsKey(spec.id())) throw new ConflictException("container " + spec.id() + " already exists");
            String name = spec.name() == null || spec.name().isEmpty() ? uniqueGeneratedName() : ContainerNames.normalize(spec.name());
            checkNameFree(name, null);
            Container c = new Container(spec.withName(name), name, ContainerState.created(), 0, runtime, 0, false, paths);
            try {
                for (Path d : List.of(paths.dir(), paths.bundleDir(), paths.upperDir(), paths.workDir(), paths.mergedDir(),
                        paths.exitDir(), paths.persistDir(), paths.socketDir(), paths.execDir())) {
                    Files.createDirectories(d);
                }
            } catch (IOException e) {
                throw new SystemFailureException("creating container directories: " + e.getMessage(), e);
            }
            store.save(c);
            entry = new Entry(c);
            byId.put(spec.id(), entry);
        }
        events.emit(spec.id(), "create", Map.of("name", entry.c.name(), "image", spec.image()));
        LatTrace.mark(spec.id(), "create-end");
        return entry.c;
    }

    private String uniqueGeneratedName() {
        for (int i = 0; i < 100; i++) {
            String n = ContainerNames.generate();
            if (findByName(n) == null) return n;
        }
        String n;
        do {
            n = ContainerNames.generate() + "_" + RANDOM.nextInt(1000);
        } while (findByName(n) != null);
        return n;
    }

    private void checkNameFree(String name, String exceptId) {
        Entry other = findByName(name);
        if (other != null && !other.c.id().equals(exceptId)) {
            throw new ConflictException("Conflict. The container name \"/" + name + "\" is already in use by container \""
                    + other.c.id() + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
    }

    private Entry findByName(String name) {
        for (Entry e : byId.values()) if (!e.removed && e.c.name().equals(name)) return e;
        return null;
    }

    private Entry entry(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) throw new NotFoundException("No such container: " + idOrName);
        Entry e = byId.get(idOrName);
        if (e != null && !e.removed) return e;
        String name = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        e = findByName(name);
        if (e != null) return e;
        Entry match = null;
        for (Entry x : byId.values()) {
            if (!x.removed && x.c.id().startsWith(idOrName)) {
                if (match != null) throw new InvalidArgumentException("Multiple IDs found with provided prefix: " + idOrName);
                match = x;
            }
        }
        if (match == null) throw new NotFoundException("No such container: " + idOrName);
        return match;
    }

    public Container inspect(String idOrName) {
        return entry(idOrName).c;
    }

    public List<Container> list() {
        return byId.values().stream().filter(e -> !e.removed).map(e -> e.c)
                .sorted(Comparator.comparing((Container c) -> c.spec().created() == null ? Instant.EPOCH : c.spec().created()).reversed())
                .toList();
    }

    private void publish(Entry e, Container c) {
        synchronized (e) {
            e.c = c;
            e.notifyAll();
        }
        // Writes the newest state, not necessarily c: a slower writer must not store an older state last.
        synchronized (e.saveLock) {
            if (!e.deleting) store.save(e.c);
        }
    }

    private OciRuntimeCli runtime(Container c) {
        return new OciRuntimeCli(settings.runtimePath(c.runtime()), settings.runRoot().resolve(c.runtime()));
    }

    // ---------------------------------------------------------------- start

    public void start(String idOrName) {
        Entry e = entry(idOrName);
        e.opLock.lock();
        try {
            ContainerState s = e.c.state();
            if (s.status() == ContainerState.Status.RUNNING) throw new FailedPreconditionException("container already started");
            if (s.status() == ContainerState.Status.PAUSED) {
                throw new ConflictException("cannot start a paused container, try unpause instead");
            }
            if (!s.canStart()) throw new ConflictException("cannot start container " + e.c.id() + " in state " + s.status().dockerName());
            if (e.c.manuallyStopped()) publish(e, e.c.withManuallyStopped(false));
            doStart(e);
        } finally {
            e.opLock.unlock();
        }
    }

    /** Runs the container; the caller holds the op lock. */
    private void doStart(Entry e) {
        Container c = e.c;
        LatTrace.mark(c.id(), "start-begin");
        ContainerPaths p = c.paths();
        OciRuntimeCli rt = runtime(c);
        ContainerSpec spec = c.spec();
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
        LatTrace.mark(c.id(), "prep-done");
        rt.deleteQuietly(c.id());
        LatTrace.mark(c.id(), "delete-done");
        OverlayMount.mount(spec.rootfs().lowerDirs(), p.upperDir(), p.workDir(), p.mergedDir());
        LatTrace.mark(c.id(), "mount-done");
        ConmonLauncher.Launched launched;
        try {
            ResolvedUser user = UserResolver.resolve(p.mergedDir(), spec.user());
            writeEtcFiles(c);
            ObjectNode config = OciConfig.build(spec, p, user, host);
            writeAtomically(p.configFile(), ContainerStore.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
            LatTrace.mark(c.id(), "config-done");
            launched = conmon.launch(c, rt, spec.tty(), spec.openStdin());
            LatTrace.mark(c.id(), "conmon-done");
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
            rt.start(c.id());
            LatTrace.mark(c.id(), "rtstart-done");
        } catch (RuntimeException | IOException ex) {
            rt.deleteQuietly(c.id());
            OverlayMount.unmount(p.mergedDir());
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            int code = msg.contains("not found") || msg.contains("No such file") ? 127
                    : msg.contains("ermission denied") ? 126 : 128;
            // Clients (the docker CLI) map these exact phrases to exit codes 127 and 126.
            if (code == 127 && !msg.contains("executable file not found")) {
                msg = "exec: \"" + spec.args().getFirst() + "\": executable file not found in $PATH: " + msg;
            } else if (code == 126 && !msg.contains("permission denied")) {
                msg = msg + ": permission denied";
            }
            ContainerState failed = new ContainerState(ContainerState.Status.EXITED, 0, code, false, msg,
                    c.state().startedAt(), Instant.now());
            publish(e, e.c.withState(failed).withConmonPid(0));
            synchronized (e) {
                // Clients attached before start must see their streams end, or they wait forever.
                for (AttachSession a : e.pendingAttaches) a.abandon();
                e.pendingAttaches.clear();
                e.exitGeneration++;
                e.notifyAll();
            }
            // Docker removes an auto-remove container whose start failed; `run --rm` waits for that removal.
            if (spec.autoRemove() && !closed) removeInBackground(c.id());
            if (ex instanceof InvalidArgumentException iae) throw iae;
            if (code == 127 || code == 126) throw new InvalidArgumentException(msg, ex);
            if (ex instanceof SystemFailureException sfe) throw sfe;
            throw new SystemFailureException(msg, ex);
        }
        Container running = e.c.withState(e.c.state().running(launched.pid(), Instant.now())).withConmonPid(launched.conmonPid());
        long run;
        synchronized (e) {
            run = ++e.runGeneration;
        }
        publish(e, running);
        events.emit(c.id(), "start", Map.of("name", c.name(), "image", spec.image()));
        LatTrace.mark(c.id(), "start-end");
        watchExit(e, run);
    }

    private void writeEtcFiles(Container c) throws IOException {
        ContainerPaths p = c.paths();
        String hostname = OciConfig.hostname(c.spec());
        if (!Files.exists(p.hostnameFile())) writeAtomically(p.hostnameFile(), (hostname + "\n").getBytes(StandardCharsets.UTF_8));
        if (!Files.exists(p.hostsFile())) {
            String hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
                    + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";
            writeAtomically(p.hostsFile(), hosts.getBytes(StandardCharsets.UTF_8));
        }
        if (!Files.exists(p.resolvConfFile())) writeAtomically(p.resolvConfFile(), resolvConf().getBytes(StandardCharsets.UTF_8));
    }

    /** The host's resolv.conf without loopback nameservers (unreachable from the container's netns), like Docker. */
    private static String resolvConf() {
        StringBuilder out = new StringBuilder();
        boolean hasNameserver = false;
        try {
            Path host = Path.of("/etc/resolv.conf");
            if (Files.exists(host)) {
                for (String line : Files.readAllLines(host)) {
                    String t = line.trim();
                    if (t.startsWith("nameserver")) {
                        String addr = t.substring("nameserver".length()).trim();
                        if (addr.startsWith("127.") || addr.equals("::1")) continue;
                        hasNameserver = true;
                    }
                    out.append(line).append('\n');
                }
            }
        } catch (IOException ignored) {
            // fall back to public resolvers below
        }
        if (!hasNameserver) out.append("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        return out.toString();
    }

    static void writeAtomically(Path file, byte[] data) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(data));
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    // ---------------------------------------------------------------- exit handling

    /** Settles the container once conmon has recorded the exit of run {@code run} (or died). */
    private void watchExit(Entry e, long run) {
        Container c = e.c;
        exits.watch(c.paths().exitDir().resolve(c.id()), c.conmonPid(), () -> {
            LatTrace.mark(c.id(), "exit-seen");
            if (!closed) handleExit(e, run);
        });
    }

    private static boolean alive(int pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private void handleExit(Entry e, long run) {
        Container c;
        synchronized (e) {
            if (e.runGeneration != run || e.removed) return;
            c = e.c;
            if (!c.state().isRunning()) return;
        }
        ContainerPaths p = c.paths();
        int code = readExitCode(p, c.id());
        boolean oom = Files.exists(p.persistDir().resolve("oom")) || cgroups.oomKilled(c.id());
        LatTrace.mark(c.id(), "exit-read");
        runtime(c).deleteQuietly(c.id());
        LatTrace.mark(c.id(), "exit-deleted");
        OverlayMount.unmount(p.mergedDir());
        LatTrace.mark(c.id(), "exit-unmounted");
        ContainerState st = c.state().exited(code, oom, Instant.now());
        if (code == 255 && !Files.exists(p.exitDir().resolve(c.id()))) {
            st = st.withError("conmon exited without recording an exit code");
        }
        // stop/kill may have marked it manually stopped since c was read: decide on the newest flags.
        Container exited = e.c.withState(st).withConmonPid(0);
        boolean restart = !closed && exited.spec().restartPolicy().shouldRestart(code, exited.manuallyStopped(), exited.restartCount());
        if (restart) {
            exited = exited.withState(st.withStatus(ContainerState.Status.RESTARTING)).withRestartCount(exited.restartCount() + 1);
        }
        // Events first: whoever waits for the exit (stop, wait) then finds "die" already emitted, as in Docker.
        if (oom) events.emit(c.id(), "oom", Map.of("name", c.name()));
        events.emit(c.id(), "die", Map.of("name", c.name(), "exitCode", Integer.toString(code)));
        synchronized (e) {
            e.exitGeneration++;
        }
        publish(e, exited);
        LatTrace.mark(c.id(), "exit-published");
        if (restart) {
            scheduleRestart(e, exited.restartCount(), Duration.between(c.state().startedAt(), Instant.now()));
        } else if (exited.spec().autoRemove() && !closed) {
            removeInBackground(c.id());
        }
    }

    /** Auto-remove runs outside the caller's locks: remove() takes the op lock itself. */
    private void removeInBackground(String id) {
        Thread.ofVirtual().start(() -> {
            try {
                remove(id, true);
            } catch (RuntimeException ignored) {
                // already removed by someone else
            }
        });
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

    /** Docker's backoff: 100 ms doubling per consecutive restart, reset when the last run lasted 10 s or more. */
    private void scheduleRestart(Entry e, int restartCount, Duration lastRun) {
        long delayMs = lastRun.toSeconds() >= 10 ? 100 : Math.min(100L << Math.min(restartCount - 1, 10), 60_000);
        Thread.ofVirtual().name("restart-" + e.c.id().substring(0, 12)).start(() -> {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException ex) {
                return;
            }
            e.opLock.lock();
            try {
                if (closed || e.removed || e.c.state().status() != ContainerState.Status.RESTARTING) return;
                if (e.c.manuallyStopped()) {
                    settleStopped(e);
                    return;
                }
                doStart(e);
                events.emit(e.c.id(), "restart", Map.of("name", e.c.name()));
            } catch (RuntimeException ex) {
                // the failed start is recorded in the state by doStart
            } finally {
                e.opLock.unlock();
            }
        });
    }

    // ---------------------------------------------------------------- stop / kill / restart / pause

    public void stop(String idOrName, Integer timeoutSeconds) {
        Entry e = entry(idOrName);
        e.opLock.lock();
        try {
            Container c = e.c;
            if (c.state().status() == ContainerState.Status.RESTARTING) {
                publish(e, c.withManuallyStopped(true).withState(c.state().withStatus(ContainerState.Status.EXITED)));
                signalWaiters(e);
                events.emit(c.id(), "stop", Map.of("name", c.name()));
                return;
            }
            if (!c.state().isRunning()) throw new FailedPreconditionException("container already stopped");
            publish(e, c.withManuallyStopped(true));
            int timeout = timeoutSeconds != null ? timeoutSeconds
                    : c.spec().stopTimeoutSeconds() != null ? c.spec().stopTimeoutSeconds() : 10;
            int signal = Signals.parse(c.spec().stopSignal(), Signals.SIGTERM);
            sendSignal(e, signal);
            if (timeout < 0 || !awaitNotRunning(e, Duration.ofSeconds(timeout))) {
                if (e.c.state().isRunning()) {
                    sendSignalAll(e, Signals.SIGKILL);
                    if (!awaitNotRunning(e, Duration.ofSeconds(30))) {
                        throw new SystemFailureException("container " + c.id() + " did not exit after SIGKILL");
                    }
                }
            }
            // An exit racing with this stop may have scheduled a restart: the stop wins, as in Docker.
            if (e.c.state().status() == ContainerState.Status.RESTARTING) settleStopped(e);
            events.emit(c.id(), "stop", Map.of("name", c.name()));
        } finally {
            e.opLock.unlock();
        }
    }

    /** A restarting container that was stopped by the user ends as exited, keeping its last exit code. */
    private void settleStopped(Entry e) {
        publish(e, e.c.withState(e.c.state().withStatus(ContainerState.Status.EXITED)));
        signalWaiters(e);
    }

    private void signalWaiters(Entry e) {
        synchronized (e) {
            e.exitGeneration++;
            e.notifyAll();
        }
    }

    private void sendSignal(Entry e, int signal) {
        Container c = e.c;
        events.emit(c.id(), "kill", Map.of("name", c.name(), "signal", Integer.toString(signal)));
        try {
            runtime(c).kill(c.id(), signal);
            if (c.state().status() == ContainerState.Status.PAUSED && (signal == Signals.SIGKILL || signal == Signals.SIGTERM)) {
                // a frozen cgroup cannot act on the signal; thaw it as Docker does
                runtime(c).resume(c.id());
            }
        } catch (SystemFailureException ex) {
            if (e.c.state().isRunning() && alive(e.c.state().pid())) throw ex;
        }
    }

    private void sendSignalAll(Entry e, int signal) {
        Container c = e.c;
        try {
            runtime(c).killAll(c.id(), signal);
            if (c.state().status() == ContainerState.Status.PAUSED) runtime(c).resume(c.id());
        } catch (SystemFailureException ex) {
            if (e.c.state().isRunning() && alive(e.c.state().pid())) throw ex;
        }
    }

    private boolean awaitNotRunning(Entry e, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (e) {
            while (e.c.state().isRunning() && !e.removed) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return false;
                try {
                    e.wait(left);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new SystemFailureException("interrupted waiting for container " + e.c.id(), ex);
                }
            }
        }
        return true;
    }

    public void kill(String idOrName, String signal) {
        Entry e = entry(idOrName);
        int sig = Signals.parse(signal, Signals.SIGKILL);
        e.opLock.lock();
        try {
            if (!e.c.state().canKill()) throw new ConflictException("Container " + e.c.id() + " is not running");
            publish(e, e.c.withManuallyStopped(true));
            sendSignal(e, sig);
            if (sig == Signals.SIGKILL) awaitNotRunning(e, Duration.ofSeconds(10));
        } finally {
            e.opLock.unlock();
        }
    }

    public void restart(String idOrName, Integer timeoutSeconds) {
        Entry e = entry(idOrName);
        if (e.c.state().isRunning() || e.c.state().status() == ContainerState.Status.RESTARTING) stop(e.c.id(), timeoutSeconds);
        e.opLock.lock();
        try {
            if (e.c.state().canStart()) {
                if (e.c.manuallyStopped()) publish(e, e.c.withManuallyStopped(false));
                doStart(e);
            }
        } finally {
            e.opLock.unlock();
        }
        events.emit(e.c.id(), "restart", Map.of("name", e.c.name()));
    }

    public void pause(String idOrName) {
        Entry e = entry(idOrName);
        e.opLock.lock();
        try {
            if (e.c.state().status() == ContainerState.Status.PAUSED) {
                throw new ConflictException("Container " + e.c.id() + " is already paused");
            }
            if (e.c.state().status() != ContainerState.Status.RUNNING) {
                throw new ConflictException("Container " + e.c.id() + " is not running");
            }
            runtime(e.c).pause(e.c.id());
            publish(e, e.c.withState(e.c.state().withStatus(ContainerState.Status.PAUSED)));
            events.emit(e.c.id(), "pause", Map.of("name", e.c.name()));
        } finally {
            e.opLock.unlock();
        }
    }

    public void unpause(String idOrName) {
        Entry e = entry(idOrName);
        e.opLock.lock();
        try {
            if (e.c.state().status() != ContainerState.Status.PAUSED) {
                throw new ConflictException("Container " + e.c.id() + " is not paused");
            }
            runtime(e.c).resume(e.c.id());
            publish(e, e.c.withState(e.c.state().withStatus(ContainerState.Status.RUNNING)));
            events.emit(e.c.id(), "unpause", Map.of("name", e.c.name()));
        } finally {
            e.opLock.unlock();
        }
    }

    // ---------------------------------------------------------------- remove / rename / wait

    public void remove(String idOrName, boolean force) {
        Entry e = entry(idOrName);
        e.opLock.lock();
        try {
            Container c = e.c;
            if (c.state().status() == ContainerState.Status.RESTARTING && !force) {
                throw new ConflictException("You cannot remove a restarting container " + c.id()
                        + ". Stop the container before attempting removal or force remove");
            }
            if (c.state().isRunning()) {
                if (!force) {
                    throw new ConflictException("You cannot remove a running container " + c.id()
                            + ". Stop the container before attempting removal or force remove");
                }
                publish(e, c.withManuallyStopped(true));
                sendSignalAll(e, Signals.SIGKILL);
                if (!awaitNotRunning(e, Duration.ofSeconds(30))) {
                    throw new SystemFailureException("could not kill running container " + c.id() + ", cannot remove");
                }
            }
            c = e.c;
            LatTrace.mark(c.id(), "remove-begin");
            synchronized (e) {
                e.c = c.withState(c.state().withStatus(ContainerState.Status.REMOVING));
            }
            runtime(c).deleteQuietly(c.id());
            OverlayMount.unmount(c.paths().mergedDir());
            synchronized (e.saveLock) {
                e.deleting = true;
            }
            LatTrace.mark(c.id(), "remove-unmounted");
            deleteTree(c.paths().dir());
            LatTrace.mark(c.id(), "remove-tree");
            synchronized (e) {
                e.removed = true;
                e.notifyAll();
            }
            byId.remove(c.id());
            String removedId = c.id();
            execs.values().removeIf(x -> x.containerId().equals(removedId));
            events.emit(c.id(), "destroy", Map.of("name", c.name(), "image", c.spec().image()));
            LatTrace.mark(c.id(), "remove-end");
        } finally {
            e.opLock.unlock();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ex) {
            throw new SystemFailureException("removing " + dir + ": " + ex.getMessage(), ex);
        }
    }

    public void rename(String idOrName, String newName) {
        Entry e = entry(idOrName);
        String name = ContainerNames.normalize(newName);
        String old;
        synchronized (namesLock) {
            old = e.c.name();
            if (old.equals(name)) throw new ConflictException("Renaming a container with the same name as its current name");
            checkNameFree(name, e.c.id());
            publish(e, e.c.withName(name));
        }
        events.emit(e.c.id(), "rename", Map.of("name", name, "oldName", "/" + old));
    }

    /**
     * Blocks until the condition holds and returns the exit code: "not-running" (default; returns at once if
     * the container is not running), "next-exit" (the next exit after this call), "removed".
     */
    public int waitForExit(String idOrName, String condition) {
        Entry e = entry(idOrName);
        String cond = condition == null || condition.isEmpty() ? "not-running" : condition;
        try {
            synchronized (e) {
                switch (cond) {
                    case "next-exit" -> {
                        long g = e.exitGeneration;
                        while (e.exitGeneration == g && !e.removed) e.wait();
                    }
                    case "removed" -> {
                        while (!e.removed) e.wait();
                    }
                    case "not-running" -> {
                        while ((e.c.state().isRunning() || e.c.state().status() == ContainerState.Status.RESTARTING) && !e.removed) {
                            e.wait();
                        }
                    }
                    default -> throw new InvalidArgumentException("invalid condition: \"" + condition + "\"");
                }
                return e.c.state().exitCode();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("interrupted waiting for container", ex);
        }
    }

    // ---------------------------------------------------------------- files, attach, logs, resize

    /** The container's merged rootfs, mounted if it is not (for docker cp). The caller must not keep the path. */
    public Path rootfs(String idOrName) {
        Container c = entry(idOrName).c;
        OverlayMount.mount(c.spec().rootfs().lowerDirs(), c.paths().upperDir(), c.paths().workDir(), c.paths().mergedDir());
        return c.paths().mergedDir();
    }

    public AttachSession attach(String idOrName, boolean stdin, boolean stdout, boolean stderr, boolean logsFirst) {
        Entry e = entry(idOrName);
        Container c = e.c;
        AttachSession s = new AttachSession(c.id(), c.spec().tty(), stdin && c.spec().openStdin(), stdout, stderr,
                (h, w) -> resize(c.id(), h, w), () -> waitForExit(c.id(), "not-running"));
        if (logsFirst) logs(c.id()).read(LogReader.Options.ALL, entry -> {
            s.prepend(entry);
            return true;
        });
        LatTrace.mark(c.id(), "attach");
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

    public LogReader logs(String idOrName) {
        Entry e = entry(idOrName);
        return new LogReader(e.c.paths().logFile(), () -> !e.removed
                && (e.c.state().isRunning() || e.c.state().status() == ContainerState.Status.RESTARTING));
    }

    /** Resizes the container's terminal through conmon's winsz FIFO. */
    public void resize(String idOrName, int height, int width) {
        Container c = entry(idOrName).c;
        if (!c.state().isRunning()) throw new ConflictException("Container " + c.id() + " is not running");
        if (!c.spec().tty()) return;
        writeFifo(c.paths().winszFifo(), height + " " + width + "\n");
    }

    private static void writeFifo(Path fifo, String line) {
        if (!Files.exists(fifo)) return;
        // O_RDWR never blocks on a FIFO, even if conmon is gone.
        try (var raf = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
            raf.write(line.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ex) {
            throw new SystemFailureException("resizing terminal: " + ex.getMessage(), ex);
        }
    }

    // ---------------------------------------------------------------- exec

    public ExecSession execCreate(String idOrName, ExecSpec spec) {
        Entry e = entry(idOrName);
        Container c = e.c;
        if (c.state().status() != ContainerState.Status.RUNNING) {
            throw new ConflictException("Container " + c.id() + " is not running");
        }
        if (spec.args().isEmpty()) throw new InvalidArgumentException("No exec command specified");
        byte[] idBytes = new byte[32];
        RANDOM.nextBytes(idBytes);
        String execId = HexFormat.of().formatHex(idBytes);
        Path dir = c.paths().execDir().resolve(execId);
        try {
            Files.createDirectories(dir);
            ResolvedUser user = UserResolver.resolve(c.paths().mergedDir(), spec.user().isEmpty() ? c.spec().user() : spec.user());
            ObjectNode process = OciConfig.execProcess(c.spec(), spec, user, host);
            writeAtomically(dir.resolve("process.json"), ContainerStore.JSON.writeValueAsBytes(process));
        } catch (IOException ex) {
            throw new SystemFailureException("preparing exec: " + ex.getMessage(), ex);
        }
        List<String> cmd = runtime(c).command("exec", "--process", dir.resolve("process.json").toString(),
                "--pid-file", dir.resolve("pid").toString(), c.id());
        ExecSession s = new ExecSession(execId, c.id(), spec, dir, cmd, done -> {
            Integer code = done.inspect().exitCode();
            events.emit(c.id(), "exec_die", Map.of("execID", done.id(), "exitCode", String.valueOf(code)));
        });
        execs.put(execId, s);
        events.emit(c.id(), "exec_create", Map.of("execID", execId));
        return s;
    }

    /** Starts a created exec session (Docker's exec start). */
    public void execStart(String execId) {
        ExecSession s = execSession(execId);
        Container c = entry(s.containerId()).c;
        if (c.state().status() != ContainerState.Status.RUNNING) {
            throw new ConflictException("Container " + c.id() + " is not running");
        }
        s.start();
        events.emit(c.id(), "exec_start", Map.of("execID", execId));
    }

    public ExecSession exec(String idOrName, ExecSpec spec) {
        ExecSession s = execCreate(idOrName, spec);
        execStart(s.id());
        return s;
    }

    public ExecSession execSession(String execId) {
        ExecSession s = execs.get(execId);
        if (s == null) throw new NotFoundException("No such exec instance: " + execId);
        return s;
    }

    // ---------------------------------------------------------------- stats, top

    public ContainerStats stats(String idOrName) {
        Container c = entry(idOrName).c;
        if (!c.state().isRunning()) {
            return new ContainerStats(Instant.now(), 0, 0, 0, Map.of(), 0, List.of(), 0, 0,
                    CgroupReader.systemCpuUsage(), Runtime.getRuntime().availableProcessors(), 0, 0);
        }
        return cgroups.stats(c.id());
    }

    /** `ps` output (titles first) limited to the container's processes, as Docker's top does it. */
    public List<List<String>> top(String idOrName, String psArgs) {
        Container c = entry(idOrName).c;
        if (!c.state().isRunning()) throw new ConflictException("Container " + c.id() + " is not running");
        List<Integer> pids = cgroups.pids(c.id());
        List<String> cmd = new ArrayList<>(List.of("ps"));
        String args = psArgs == null || psArgs.isBlank() ? "-ef" : psArgs;
        cmd.addAll(List.of(args.trim().split("\\s+")));
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new InvalidArgumentException("ps: " + out.trim());
        } catch (IOException ex) {
            throw new SystemFailureException("running ps: " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("interrupted running ps", ex);
        }
        String[] lines = out.split("\n");
        List<String> titles = List.of(lines[0].trim().split("\\s+"));
        int pidCol = titles.indexOf("PID");
        if (pidCol < 0) throw new InvalidArgumentException("Couldn't find PID field in ps output");
        List<List<String>> rows = new ArrayList<>();
        rows.add(titles);
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            String[] f = lines[i].trim().split("\\s+", titles.size());
            if (f.length <= pidCol) continue;
            try {
                if (pids.contains(Integer.parseInt(f[pidCol]))) rows.add(List.of(f));
            } catch (NumberFormatException ignored) {
                // not a process row
            }
        }
        return rows;
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Loads every persisted container. Those recorded as running are checked: if their conmon still lives the
     * exit watcher is re-armed; if the container ended while berthd was down, its exit code is read from
     * conmon's exit file and the restart policy applied.
     */
    public void recover() {
        for (Container c : store.loadAll()) {
            if (byId.containsKey(c.id())) continue;
            Entry e = new Entry(c);
            byId.put(c.id(), e);
            ContainerState.Status status = c.state().status();
            if (status == ContainerState.Status.REMOVING) {
                Thread.ofVirtual().start(() -> {
                    try {
                        remove(c.id(), true);
                    } catch (RuntimeException ignored) {
                        // left for the user to remove
                    }
                });
                continue;
            }
            if (c.state().isRunning()) {
                long run;
                synchronized (e) {
                    run = ++e.runGeneration;
                }
                if (!Files.exists(c.paths().exitDir().resolve(c.id())) && c.conmonPid() > 0 && alive(c.conmonPid())) {
                    watchExit(e, run);
                } else {
                    handleExit(e, run);
                }
            } else if (status == ContainerState.Status.RESTARTING) {
                scheduleRestart(e, c.restartCount(), Duration.ZERO);
            } else if (!c.manuallyStopped() && status == ContainerState.Status.EXITED
                    && ("always".equals(c.spec().restartPolicy().name()))) {
                // Docker starts "always" containers when the daemon starts, even if they had exited.
                Thread.ofVirtual().start(() -> {
                    try {
                        start(c.id());
                    } catch (RuntimeException ignored) {
                        // recorded in the container's state
                    }
                });
            }
        }
    }

    /** Stops watching; containers keep running under their conmon, to be recovered by the next service. */
    @Override
    public void close() {
        closed = true;
        exits.close();
    }
}
