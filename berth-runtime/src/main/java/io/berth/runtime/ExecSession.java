package io.berth.runtime;

import io.berth.linux.AtomicFile;
import io.berth.linux.ErrnoException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * One `docker exec` process: created (Docker's exec create), then started once. The process runs as
 * `runtime exec --process <json>`, a child of berthd spawned directly (posix_spawn: no launcher process in between,
 * as ProcessBuilder's jspawnhelper was). Without a terminal its stdio are pipes, each read by a {@link PipePump};
 * with one, the runtime hands the pty master to a console socket we listen on (fd passing via FFM recvmsg), and a
 * platform thread pumps it. The exit code is recorded when the runtime process is reaped (a blocking waitpid on a
 * reaper thread, no polling).
 */
public final class ExecSession {
    /** What Docker's exec inspect shows. exitCode is null while running or before start. */
    public record Inspect(String id, String containerId, boolean running, Integer exitCode, int pid, ExecSpec spec,
                          boolean started) {}

    private final String id;
    private final String containerId;
    private final ExecSpec spec;
    private final Path dir;
    private final List<String> command;
    private final Consumer<ExecSession> onExit;
    private final PacketInputStream ttyOut = new PacketInputStream();
    private final java.util.concurrent.CompletableFuture<Integer> ptyMaster = new java.util.concurrent.CompletableFuture<>();
    private volatile int pendingRows;
    private volatile int pendingCols;
    private SpawnedProcess process;
    /** The process's stdin (a pipe, or nothing), stdout and stderr; with a terminal the runtime's own output. */
    private OutputStream stdinPipe = OutputStream.nullOutputStream();
    private PacketInputStream stdoutPipe;
    private PacketInputStream stderrPipe;
    private volatile Integer exitCode;
    private volatile boolean running;
    /** Set when the runtime exited without starting the process; what it printed is kept off the streams. */
    private volatile boolean failedToStart;
    private volatile boolean detached;
    private final StringBuilder runtimeError = new StringBuilder();

    /** @param command the runtime's exec command line; for a tty, "--tty --console-socket PATH" is added after "exec" */
    ExecSession(String id, String containerId, ExecSpec spec, Path dir, List<String> command, Consumer<ExecSession> onExit) {
        this.id = id;
        this.containerId = containerId;
        this.spec = spec;
        this.dir = dir;
        this.command = List.copyOf(command);
        this.onExit = onExit;
    }

    public String id() {
        return id;
    }

    public String containerId() {
        return containerId;
    }

    public ExecSpec spec() {
        return spec;
    }

    Path dir() {
        return dir;
    }

    /** Starts the process; its streams are available afterwards. A second start is refused. */
    public synchronized void start() {
        if (process != null) throw new FailedPreconditionException("Error: Exec command " + id + " has already run");
        List<String> cmd = new java.util.ArrayList<>(command);
        int listenFd = -1;
        Path socket = null;
        try {
            if (spec.tty() && pendingRows > 0) {
                // the process may query its size before we receive the pty, so the runtime sets it up front
                Path processFile = dir.resolve("process.json");
                var node = (com.fasterxml.jackson.databind.node.ObjectNode) ContainerStore.JSON.readTree(processFile.toFile());
                node.putObject("consoleSize").put("height", pendingRows).put("width", pendingCols);
                AtomicFile.write(processFile, ContainerStore.JSON.writeValueAsBytes(node), AtomicFile.OWNER_ONLY);
            }
            if (spec.tty()) {
                // sun_path holds 107 bytes, so the console socket lives under /tmp with a short random name.
                socket = Files.createTempDirectory("berth-exec").resolve("console.sock");
                listenFd = LinuxCalls.listenUnix(socket.toString());
                int at = cmd.indexOf("exec") + 1;
                cmd.addAll(at, List.of("--tty", "--console-socket", socket.toString()));
            }
            process = spawn(cmd);
        } catch (IOException e) {
            if (listenFd >= 0) LinuxCalls.close(listenFd);
            throw new SystemFailureException("starting exec " + id + ": " + e.getMessage(), e);
        }
        running = true;
        SpawnedProcess p = process;
        if (spec.tty()) startTerminalPump(listenFd, socket, p);
        Thread.ofVirtual().name("exec-" + id.substring(0, 12)).start(() -> {
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                code = -1;
            }
            if (neverStarted(p)) {
                // without a tty the error is on the stderr pipe, which the gate in stderr() leaves to this thread
                if (!spec.tty()) drainRuntimeError(stderrPipe);
                failedToStart = true;
                code = ExecStartFailure.EXIT_CODE;
            }
            exitCode = code;
            running = false;
            synchronized (this) {
                notifyAll();
            }
            onExit.accept(this);
        });
    }

    /**
     * Spawns the runtime with pipes for stdout and stderr (one for both with a terminal: the runtime's own messages)
     * and for stdin when it is attached without a terminal, else /dev/null. Our ends' streams are opened while both
     * ends are still ours (opening a pipe through /proc waits for the other end); the child's ends are closed here
     * once it holds them, so each stream ends when the child and what it started have closed theirs.
     */
    private SpawnedProcess spawn(List<String> cmd) throws IOException {
        boolean pipeIn = spec.attachStdin() && !spec.tty();
        int[] in = null;
        int[] out = null;
        int[] err = null;
        boolean spawned = false;
        try {
            if (pipeIn) {
                in = LinuxCalls.pipe();
                stdinPipe = new java.io.FileOutputStream("/proc/self/fd/" + in[1]);
                LinuxCalls.close(in[1]);
                in[1] = -1;
            }
            out = LinuxCalls.pipe();
            stdoutPipe = PipePump.start(out[0]);
            out[0] = -1;
            if (!spec.tty()) {
                err = LinuxCalls.pipe();
                stderrPipe = PipePump.start(err[0]);
                err[0] = -1;
            }
            ChildFds fds = new ChildFds();
            if (pipeIn) fds.dup(0, in[0]);
            else fds.open(0, Path.of("/dev/null"), ChildFds.O_RDONLY);
            fds.dup(1, out[1]).dup(2, err != null ? err[1] : out[1]);
            SpawnedProcess p = PosixSpawn.spawn(cmd, System.getenv(), null, fds);
            spawned = true;
            return p;
        } finally {
            // the child's ends; after a failure also ours that no stream took over (a pump ends with its pipe)
            for (int[] pipe : new int[][] {in, out, err}) {
                if (pipe == null) continue;
                for (int fd : pipe) if (fd >= 0) LinuxCalls.close(fd);
            }
            if (!spawned) stdinPipe.close();
        }
    }

    private void startTerminalPump(int listenFd, Path socket, SpawnedProcess p) {
        // If the runtime dies before connecting, shutting the listener down wakes the blocked accept.
        p.onExit().thenRun(() -> {
            if (!ptyMaster.isDone()) LinuxCalls.shutdownBoth(listenFd);
        });
        Thread.ofPlatform().daemon().name("exec-tty-" + id.substring(0, 12)).start(() -> {
            int master = -1;
            try {
                master = LinuxCalls.acceptAndReceiveFd(listenFd);
                if (pendingRows > 0) LinuxCalls.setWindowSize(master, pendingRows, pendingCols);
                ptyMaster.complete(master);
                try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                    java.lang.foreign.MemorySegment buf = arena.allocate(32 * 1024);
                    boolean started = false;
                    while (true) {
                        int n = LinuxCalls.read(master, buf);
                        if (n <= 0) break;
                        byte[] chunk = buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                        // a runtime that cannot start the process prints why on the terminal: that is no output
                        if (!started && !(started = awaitStartKnown(p))) {
                            synchronized (runtimeError) {
                                runtimeError.append(new String(chunk, java.nio.charset.StandardCharsets.UTF_8));
                            }
                            continue;
                        }
                        ttyOut.offer(chunk);
                    }
                }
            } catch (ErrnoException | RuntimeException e) {
                // EIO once every holder of the pty's other side has exited: the normal end
            } finally {
                ptyMaster.complete(-1);
                LinuxCalls.close(listenFd);
                try {
                    Files.deleteIfExists(socket);
                    Files.deleteIfExists(socket.getParent());
                } catch (IOException ignored) {
                    // a stray temp dir is harmless
                }
                try {
                    // the runtime's own error output, if any, follows the terminal output; when the runtime could
                    // not start the process at all, it becomes the exec's start failure instead
                    byte[] rest = stdoutPipe.readAllBytes();
                    waitQuietly(p);
                    if (neverStarted(p)) {
                        synchronized (runtimeError) {
                            runtimeError.append(new String(rest, java.nio.charset.StandardCharsets.UTF_8));
                        }
                    } else {
                        ttyOut.offer(rest);
                    }
                } catch (IOException ignored) {
                    // nothing more to show
                }
                ttyOut.end();
                if (master >= 0) {
                    waitQuietly(p);
                    LinuxCalls.close(master);
                }
            }
        });
    }

    /**
     * The runtime records the process's pid before the process runs, so a runtime that failed (255) without a pid
     * file never started it: the command was not found or not executable.
     */
    private boolean neverStarted(SpawnedProcess p) {
        var exit = p.poll();
        return exit.isPresent() && exit.getAsInt() == 255 && !Files.exists(dir.resolve("pid"));
    }

    /**
     * Waits until the process is known to have started (its pid file exists) or the runtime has ended; true when
     * it started.
     */
    private boolean awaitStartKnown(SpawnedProcess p) {
        Path pid = dir.resolve("pid");
        while (p.poll().isEmpty() && !Files.exists(pid)) {
            try {
                p.waitFor(java.time.Duration.ofMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return !neverStarted(p);
    }

    private void drainRuntimeError(InputStream in) {
        try {
            byte[] b = in.readAllBytes();
            synchronized (runtimeError) {
                runtimeError.append(new String(b, java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the pipe is gone: the message falls back to the command alone
        }
    }

    /**
     * Why the process never started, once the exec's output has ended; null when it started (or still runs).
     * With a tty the runtime's message arrives with the end of the terminal output.
     */
    public ExecStartFailure startFailure() {
        if (!failedToStart) return null;
        synchronized (runtimeError) {
            return ExecStartFailure.of(spec.args().getFirst(), runtimeError.toString());
        }
    }

    private static void waitQuietly(SpawnedProcess p) {
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Resizes the exec's terminal (before or after it starts); no effect without a tty. */
    public void resize(int height, int width) {
        if (!spec.tty()) return;
        pendingRows = height;
        pendingCols = width;
        Integer fd = ptyMaster.getNow(null);
        if (fd != null && fd >= 0) {
            try {
                LinuxCalls.setWindowSize(fd, height, width);
            } catch (ErrnoException e) {
                throw new SystemFailureException("resizing exec terminal: " + e.getMessage(), e);
            }
        }
    }

    private SpawnedProcess started() {
        synchronized (this) {
            if (process == null) throw new FailedPreconditionException("exec " + id + " has not been started");
            return process;
        }
    }

    /**
     * The process's stdin (with a tty: the terminal's input). Closing it sends EOF; with a tty it {@link #detach}es
     * the client instead, as Docker does.
     */
    public OutputStream stdin() {
        started();
        if (!spec.tty()) return stdinPipe;
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int fd = ptyMaster.join();
                if (fd < 0) throw new IOException("exec terminal closed");
                LinuxCalls.write(fd, b, off, len);
            }

            /** A terminal has no end of input: as in Docker the client's attach ends and the process runs on. */
            @Override
            public void close() {
                detach();
            }
        };
    }

    /** stdout, or with a tty everything the terminal prints. */
    public InputStream stdout() {
        started();
        return spec.tty() ? ttyOut : stdoutPipe;
    }

    /**
     * stderr; empty with a tty. Nothing is passed on until the process is known to have started (its pid file
     * exists) or the runtime has ended: a runtime that could not start it prints its own error there, which
     * Docker shows as the exec's start failure instead.
     */
    public InputStream stderr() {
        SpawnedProcess p = started();
        if (spec.tty()) return InputStream.nullInputStream();
        InputStream err = stderrPipe;
        return new java.io.FilterInputStream(err) {
            private boolean open;

            private boolean gate() {
                if (open) return true;
                if (!awaitStartKnown(p)) return false; // the exit thread takes the runtime's message
                open = true;
                return true;
            }

            @Override
            public int read() throws IOException {
                return gate() ? super.read() : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return gate() ? super.read(b, off, len) : -1;
            }
        };
    }

    /**
     * The client detached from the process's terminal: its output stream ends now and later output is dropped;
     * the process runs on, its terminal input left open.
     */
    public void detach() {
        detached = true;
        ttyOut.discard();
    }

    /**
     * Nobody will read the output (a detached start, `docker exec -d`): it is read and dropped, as Docker drops a
     * detached exec's output, instead of leaving the process blocked once its pipe is full.
     */
    public void discardOutput() {
        started();
        ttyOut.discard();
        if (stdoutPipe != null) stdoutPipe.close();
        if (stderrPipe != null) stderrPipe.close();
    }

    /** Whether the client detached (or ended its terminal input) rather than waiting for the process to end. */
    public boolean detached() {
        return detached;
    }

    /** Blocks until the process ends and returns its exit code. */
    public int waitFor() {
        SpawnedProcess p = started();
        try {
            p.waitFor();
            synchronized (this) {
                while (exitCode == null) wait();
            }
            return exitCode;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("interrupted waiting for exec " + id, e);
        }
    }

    /** Waits up to {@code timeout} for the process to end; true when it has (its exit code is then recorded). */
    public boolean waitFor(java.time.Duration timeout) throws InterruptedException {
        SpawnedProcess p = started();
        if (p.waitFor(timeout).isEmpty()) return false;
        synchronized (this) {
            while (exitCode == null) wait();
        }
        return true;
    }

    /**
     * Kills the process inside the container (SIGKILL, by the pid the runtime recorded) and the runtime's exec
     * process that waits for it, as Docker kills a health check that runs past its timeout.
     */
    public void kill() {
        int pid = pid();
        if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        SpawnedProcess p;
        synchronized (this) {
            p = process;
        }
        if (p != null) p.destroyForcibly();
    }

    public Inspect inspect() {
        return new Inspect(id, containerId, running, exitCode, pid(), spec, process != null);
    }

    private int pid() {
        return ConmonLauncher.readPid(dir.resolve("pid"));
    }
}
