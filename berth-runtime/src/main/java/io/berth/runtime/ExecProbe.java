package io.berth.runtime;

import io.berth.oci.GoDuration;
import io.berth.runtime.health.HealthResult;
import io.berth.runtime.health.Probe;
import io.berth.runtime.health.ProbeOutput;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A health check run as an exec in the container, through the same {@link ExecRegistry} as `docker exec`
 * (so it emits exec_create, exec_start and exec_die as Docker's do): the container's user, environment and
 * working directory, no terminal, stdout and stderr into one {@link ProbeOutput}. Past the timeout the process
 * is killed and the result is Docker's: exit code -1, "Health check exceeded timeout (T)" and the output so far.
 * The session is forgotten afterwards, so checks do not pile up as exec ids.
 */
final class ExecProbe implements Probe {
    /** After a kill, how long a process left behind in the container (a shell's child) may hold the output open. */
    private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(1);

    private final ExecRegistry execs;
    private final ContainerEntry entry;
    private final List<String> argv;
    private final long timeoutNanos;

    ExecProbe(ExecRegistry execs, ContainerEntry entry, List<String> argv, long timeoutNanos) {
        this.execs = execs;
        this.entry = entry;
        this.argv = List.copyOf(argv);
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public HealthResult run() throws InterruptedException {
        Instant start = Instant.now();
        ExecSession s;
        try {
            s = execs.create(entry.c, new ExecSpec(argv, List.of(), "", "", false, false, false));
        } catch (RuntimeException e) {
            return new HealthResult(start, Instant.now(), -1, String.valueOf(e.getMessage()));
        }
        try {
            execs.start(s.id());
        } catch (RuntimeException e) {
            execs.forget(s.id());
            return new HealthResult(start, Instant.now(), -1, String.valueOf(e.getMessage()));
        }
        ProbeOutput out = new ProbeOutput();
        Thread stdout = pump(s.stdout(), out);
        Thread stderr = pump(s.stderr(), out);
        try {
            boolean ended = s.waitFor(Duration.ofNanos(timeoutNanos));
            if (!ended) {
                s.kill();
                s.waitFor(DRAIN_AFTER_EXIT);
            }
            stdout.join(DRAIN_AFTER_EXIT);
            stderr.join(DRAIN_AFTER_EXIT);
            if (!ended) {
                String shown = out.text();
                String message = "Health check exceeded timeout (" + GoDuration.format(timeoutNanos) + ")"
                        + (shown.isEmpty() ? "" : ": " + shown);
                return new HealthResult(start, Instant.now(), -1, message);
            }
            Integer code = s.inspect().exitCode();
            return new HealthResult(start, Instant.now(), code == null ? -1 : code, out.text());
        } catch (InterruptedException e) {
            s.kill();
            throw e;
        } finally {
            stdout.interrupt();
            stderr.interrupt();
            closeQuietly(s.stdout());
            closeQuietly(s.stderr());
            execs.forget(s.id());
        }
    }

    private static Thread pump(InputStream in, ProbeOutput out) {
        return Thread.ofVirtual().start(() -> {
            try {
                in.transferTo(out);
            } catch (IOException ignored) {
                // closed after a kill: what was read is kept
            }
        });
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to read
        }
    }
}
