package io.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.errors.SystemFailureException;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts a conmon that runs `runtime create` for one container and stays behind (daemonized) as its monitor.
 *
 * conmon wants its start pipe on fd 3 and its sync pipe on fd 4, which ProcessBuilder cannot arrange. We make
 * two FIFOs, hold both open read-write ourselves (so no open ever blocks and the FIFOs never see EOF early),
 * and posix_spawn conmon with the FIFOs opened on fds 3 and 4 by the spawn's file actions (no shell, no
 * jspawnhelper: two execs fewer). conmon daemonizes, so it is not tied to berthd's life: a berthd killed
 * with -9 leaves it running, reparented. One byte on the start FIFO releases conmon; conmon
 * then writes {"data": pid} (or {"data": -1, "message": ...}) as one line on the sync FIFO. Because we also
 * hold a writer, a conmon that dies silently is detected by its pid, not by EOF.
 */
final class ConmonLauncher {
    record Launched(int pid, int conmonPid) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SYNC_TIMEOUT_MS = 60_000;
    private static final long WATCHDOG_INTERVAL_MS = 20;
    private static final Path DEV_NULL = Path.of("/dev/null");

    private final Path conmon;

    ConmonLauncher(Path conmon) {
        this.conmon = conmon;
    }

    Launched launch(Container c, OciRuntimeCli runtime, ProcessSpec process) {
        boolean tty = process.tty();
        boolean stdin = process.openStdin();
        ContainerPaths p = c.paths();
        List<String> args = new ArrayList<>(List.of(
                "--api-version", "1", "-c", c.id(), "-u", c.id(), "-n", c.name(),
                "-r", runtime.binary().toString(), "-b", p.bundleDir().toString(),
                "-p", p.pidFile().toString(), "-P", p.conmonPidFile().toString(),
                "-l", !c.spec().lifecycle().log().readable() ? "none"
                        : "k8s-file:" + (c.logFormat() == LogFormat.JSON_FILE ? p.spoolFile() : p.logFile()),
                "--exit-dir", p.exitDir().toString(),
                "--persist-dir", p.persistDir().toString(), "--socket-dir-path", p.socketDir().toString(),
                "--full-attach", "--log-level", "warning"));
        for (String a : runtime.globalArgs()) {
            args.add("--runtime-arg");
            args.add(a);
        }
        if (tty) args.add("-t");
        if (stdin) args.add("-i");
        // A terminal's input outlives each client, as in Docker, and so does a stdin opened without StdinOnce: a client
        // that ends, detaches or goes away leaves it open for the next attach (without this conmon closes it when an
        // attach connection ends).
        if (stdin && (tty || process.keepStdinOpen())) args.add("--leave-stdin-open");
        return spawn(args, p.bundleDir(), p.startFifo(), p.syncFifo(), p.conmonErrFile(), p.conmonPidFile());
    }

    private Launched spawn(List<String> conmonArgs, Path workDir, Path startFifo, Path syncFifo, Path errFile, Path conmonPidFile) {
        try {
            Files.deleteIfExists(startFifo);
            Files.deleteIfExists(syncFifo);
            Files.deleteIfExists(conmonPidFile);
            Files.deleteIfExists(errFile);
            LinuxCalls.mkfifo(startFifo.toString(), 0600);
            LinuxCalls.mkfifo(syncFifo.toString(), 0600);
        } catch (IOException e) {
            throw new SystemFailureException("preparing conmon pipes: " + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>();
        argv.add(conmon.toString());
        argv.addAll(conmonArgs);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("_OCI_STARTPIPE", "3");
        env.put("_OCI_SYNCPIPE", "4");
        // The child opens the FIFOs itself; we already hold both read-write, so neither open can block.
        ChildFds fds = new ChildFds()
                .open(0, DEV_NULL, ChildFds.O_RDONLY)
                .open(1, errFile, ChildFds.O_WRONLY | ChildFds.O_CREAT | ChildFds.O_APPEND)
                .open(2, errFile, ChildFds.O_WRONLY | ChildFds.O_CREAT | ChildFds.O_APPEND)
                .open(3, startFifo, ChildFds.O_RDONLY)
                .open(4, syncFifo, ChildFds.O_WRONLY);
        try (RandomAccessFile startRw = new RandomAccessFile(startFifo.toFile(), "rw");
             RandomAccessFile syncRw = new RandomAccessFile(syncFifo.toFile(), "rw");
             FileInputStream syncIn = new FileInputStream(syncFifo.toFile())) {
            // conmon drops an "oom" marker in its working directory: keep it inside the container's bundle
            SpawnedProcess proc = PosixSpawn.spawn(argv, env, workDir, fds);
            startRw.write('s');
            String line = readSyncLine(syncIn, syncRw, proc, conmonPidFile, errFile);
            // the conmon we started forks the monitor and exits; wait for it so it is reaped before we go on
            proc.waitFor(Duration.ofSeconds(10));
            JsonNode msg = JSON.readTree(line);
            int data = msg.path("data").asInt(-1);
            if (data <= 0) {
                String text = msg.path("message").asText("").trim();
                throw new SystemFailureException(cleanRuntimeError(text.isEmpty() ? readErr(errFile) : text));
            }
            return new Launched(data, readPid(conmonPidFile));
        } catch (IOException e) {
            throw new SystemFailureException("starting conmon: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("interrupted while starting conmon", e);
        } finally {
            try {
                Files.deleteIfExists(startFifo);
                Files.deleteIfExists(syncFifo);
            } catch (IOException ignored) {
                // leftover FIFOs are replaced on the next start
            }
        }
    }

    /**
     * Reads conmon's report with a blocking read, so it is seen the moment conmon writes it. Because we hold a
     * write end too, a dead conmon gives no EOF: a watchdog checks on conmon meanwhile and, when it is gone or
     * time is up, ends the read by writing a bare newline through our own write end.
     */
    private static String readSyncLine(FileInputStream in, RandomAccessFile syncWriter, SpawnedProcess proc, Path conmonPidFile,
                                       Path errFile) throws IOException {
        AtomicReference<String> failure = new AtomicReference<>();
        Thread watchdog = Thread.ofVirtual().name("conmon-sync-watchdog").start(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SYNC_TIMEOUT_MS);
            try {
                while (failure.get() == null) {
                    Thread.sleep(WATCHDOG_INTERVAL_MS);
                    OptionalInt exit = proc.poll();
                    if (exit.isPresent() && exit.getAsInt() != 0) {
                        failure.set("conmon failed: " + readErr(errFile));
                    } else if (exit.isPresent() && Files.exists(conmonPidFile)) {
                        int pid = readPid(conmonPidFile);
                        if (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                            failure.set("conmon exited before reporting the container pid: " + readErr(errFile));
                        }
                    } else if (System.nanoTime() > deadline) {
                        failure.set("timed out waiting for conmon to create the container");
                    }
                }
                syncWriter.write('\n');
            } catch (InterruptedException | IOException ignored) {
                // the report arrived (or the pipe is gone): nothing left to watch
            }
        });
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] b = new byte[512];
            while (true) {
                int n = in.read(b);
                if (n < 0) throw new SystemFailureException("conmon closed its sync pipe without a report: " + readErr(errFile));
                for (int i = 0; i < n; i++) {
                    if (b[i] != '\n') {
                        line.write(b[i]);
                        continue;
                    }
                    // conmon's report comes before the watchdog's newline, so a real report always wins
                    if (line.size() > 0) return line.toString(StandardCharsets.UTF_8);
                    if (failure.get() != null) throw new SystemFailureException(failure.get());
                }
            }
        } finally {
            watchdog.interrupt();
        }
    }

    /** crun reports errors as JSON log lines; keep the message a user can act on. */
    static String cleanRuntimeError(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            String l = line.trim();
            if (l.startsWith("{")) {
                try {
                    JsonNode n = JSON.readTree(l);
                    if (n.has("msg")) l = n.get("msg").asText();
                } catch (IOException ignored) {
                    // not JSON after all: keep the raw line
                }
            }
            if (!l.isEmpty()) {
                if (!out.isEmpty()) out.append("; ");
                out.append(l);
            }
        }
        return out.toString();
    }

    static int readPid(Path file) {
        try {
            String s = Files.readString(file).trim();
            return s.isEmpty() ? 0 : Integer.parseInt(s);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static String readErr(Path errFile) {
        try {
            return Files.exists(errFile) ? Files.readString(errFile).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }
}
