package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.oci.errors.SystemFailureException;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/** Runs the OCI runtime's CLI (crun or runc share it): start, kill, pause, resume, delete, each with our --root. */
final class OciRuntimeCli {
    private static final Path DEV_NULL = Path.of("/dev/null");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** How long output may still arrive once the runtime has exited (a child it left may hold the pipe). */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    private static final Map<Path, Boolean> CRUN = new ConcurrentHashMap<>();

    private final Path binary;
    private final Path stateRoot;
    private final Duration timeout;

    OciRuntimeCli(Path binary, Path stateRoot) {
        this(binary, stateRoot, TIMEOUT);
    }

    /** @param timeout how long one runtime command may take before it is killed and reported as hung */
    OciRuntimeCli(Path binary, Path stateRoot, Duration timeout) {
        this.binary = binary;
        this.stateRoot = stateRoot;
        this.timeout = timeout;
    }

    Path binary() {
        return binary;
    }

    Path stateRoot() {
        return stateRoot;
    }

    /** The global arguments conmon must pass to the runtime too. */
    List<String> globalArgs() {
        return List.of("--root", stateRoot.toString());
    }

    /**
     * Starts a created container. Under crun berthd releases it through crun's exec FIFO itself, as `crun start` does
     * ({@link ExecFifoRelease}): a program launch fewer on every start. `runtime start` runs instead for any other
     * runtime, for a config with poststart hooks or a berthd given a NOTIFY_SOCKET (which `crun start` would serve),
     * and when no created container waits on the FIFO (its error is the runtime's own).
     */
    void start(String id, boolean poststartHooks) {
        if (!poststartHooks && System.getenv("NOTIFY_SOCKET") == null && isCrun()
                && ExecFifoRelease.release(stateRoot.resolve(id))) {
            return;
        }
        run("start", id);
    }

    /**
     * Whether the binary is crun, asked once per path and berthd's life (`--version`): the release through the exec
     * FIFO is crun's protocol, and a configured runtime may be anything that speaks the OCI CLI.
     */
    boolean isCrun() {
        Boolean known = CRUN.get(binary);
        if (known != null) return known;
        boolean crun;
        try {
            crun = run("--version").startsWith("crun version ");
        } catch (SystemFailureException e) {
            crun = false;
        }
        CRUN.put(binary, crun);
        return crun;
    }

    void kill(String id, int signal) {
        run("kill", id, Integer.toString(signal));
    }

    /** Signals every process in the container (used after the stop timeout, so forked children die too). */
    void killAll(String id, int signal) {
        run("kill", "--all", id, Integer.toString(signal));
    }

    void pause(String id) {
        run("pause", id);
    }

    void resume(String id) {
        run("resume", id);
    }

    /** Applies new cgroup limits to a running container ({@code resources}: an OCI linux.resources file). */
    void update(String id, Path resources) {
        run("update", "--resources", resources.toString(), id);
    }

    /**
     * Forced delete; a container the runtime no longer knows is not an error. crun and runc both keep a
     * container's state in {@code <root>/<id>}: without it there is nothing to delete, and no process is spawned.
     * Under crun the state of a container whose process has ended is deleted by berthd itself, as `crun delete`
     * does ({@link CrunStateDeletion}); whatever that does not cover (a live or unknown process, a busy cgroup,
     * hooks, systemd's cgroups) still goes through `crun delete --force`.
     */
    void deleteQuietly(String id) {
        Path state = stateRoot.resolve(id);
        if (!Files.exists(state)) return;
        if (isCrun() && CrunStateDeletion.delete(state, HostFacts.cgroupV2())) return;
        try {
            run("delete", "--force", id);
        } catch (SystemFailureException ignored) {
            // already gone
        }
    }

    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(globalArgs());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs the runtime with stdin from /dev/null and stdout and stderr together in one pipe; returns that output. */
    String run(String... args) {
        List<String> cmd = command(args);
        try {
            int[] pipe = LinuxCalls.pipe();
            // A stream of our own on the read end, opened while our write end still exists (so the open cannot
            // block); OutputCollector reads it on a platform thread.
            FileInputStream output;
            try {
                output = new FileInputStream("/proc/self/fd/" + pipe[0]);
            } catch (IOException e) {
                LinuxCalls.close(pipe[1]);
                throw e;
            } finally {
                LinuxCalls.close(pipe[0]);
            }
            SpawnedProcess p;
            try {
                p = PosixSpawn.spawn(cmd, System.getenv(), null,
                        new ChildFds().open(0, DEV_NULL, ChildFds.O_RDONLY).dup(1, pipe[1]).dup(2, pipe[1]));
            } catch (ErrnoException | RuntimeException e) {
                output.close();
                throw e;
            } finally {
                LinuxCalls.close(pipe[1]);
            }
            // The output is read beside the wait, not before it: a hung runtime keeps the pipe open forever, and
            // the timeout must still end the call.
            OutputCollector collected = OutputCollector.start(output);
            OptionalInt exit = p.waitFor(timeout);
            if (exit.isEmpty()) {
                p.destroyForcibly();
                throw new SystemFailureException(String.join(" ", cmd) + ": timed out after " + timeout.toSeconds()
                        + " s" + collected.describe(OUTPUT_GRACE));
            }
            String text = collected.text(OUTPUT_GRACE);
            if (exit.getAsInt() != 0) {
                throw new SystemFailureException(binary.getFileName() + " " + args[0] + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new SystemFailureException("running " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("interrupted running " + binary, e);
        }
    }
}
