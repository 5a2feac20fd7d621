package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Runs the OCI runtime's CLI (crun or runc share it): start, kill, pause, resume, delete, each with our --root. */
final class OciRuntimeCli {
    private static final Path DEV_NULL = Path.of("/dev/null");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;
    private final Path stateRoot;

    OciRuntimeCli(Path binary, Path stateRoot) {
        this.binary = binary;
        this.stateRoot = stateRoot;
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

    void start(String id) {
        run("start", id);
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

    /**
     * Forced delete; a container the runtime no longer knows is not an error. crun and runc both keep a
     * container's state in {@code <root>/<id>}: without it there is nothing to delete, and no process is spawned.
     */
    void deleteQuietly(String id) {
        if (!Files.exists(stateRoot.resolve(id))) return;
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
            // block): reading it parks a virtual thread instead of pinning its carrier in read(2).
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
            try (output) {
                try {
                    p = PosixSpawn.spawn(cmd, System.getenv(), null,
                            new ChildFds().open(0, DEV_NULL, ChildFds.O_RDONLY).dup(1, pipe[1]).dup(2, pipe[1]));
                } finally {
                    LinuxCalls.close(pipe[1]);
                }
                byte[] out = output.readAllBytes();
                OptionalInt exit = p.waitFor(TIMEOUT);
                if (exit.isEmpty()) {
                    p.destroyForcibly();
                    throw new SystemFailureException(String.join(" ", cmd) + ": timed out");
                }
                String text = new String(out, StandardCharsets.UTF_8).trim();
                if (exit.getAsInt() != 0) {
                    throw new SystemFailureException(binary.getFileName() + " " + args[0] + " failed: " + text);
                }
                return text;
            }
        } catch (IOException e) {
            throw new SystemFailureException("running " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("interrupted running " + binary, e);
        }
    }
}
