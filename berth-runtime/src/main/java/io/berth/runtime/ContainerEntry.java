package io.berth.runtime;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The mutable bookkeeping of one container; {@link #c} is its published snapshot.
 *
 * <p>Two locks, two jobs: {@link #opLock} serializes lifecycle operations (start, stop, remove, ...) and is
 * never taken by the exit settler, so stop can wait for an exit while holding it; the entry's monitor guards
 * the counters and the pending attaches and is what waiters sleep on ({@code notifyAll} on every change).
 */
final class ContainerEntry {
    final ReentrantLock opLock = new ReentrantLock();
    volatile Container c;
    /** Counts settled runs (exits, failed starts, stops of a restarting container); "next-exit" waits for a change. */
    long exitGeneration;
    /** Counts started runs, so an exit notice for an older run is ignored. */
    long runGeneration;
    boolean removed;
    /** Attaches made before start; connected by the starter once conmon's socket exists. */
    final List<AttachSession> pendingAttaches = new ArrayList<>();
    /** Serialises writes of container.json; once the directory is being deleted nothing may recreate it. */
    final Object saveLock = new Object();
    /** Held while the log's files are renamed (rotation) and while a reader opens them, so a reader sees one set. */
    final LogFiles.Lock logFilesLock = new LogFiles.Lock();
    /** A running json-file container's copier from conmon's spool ({@link JsonLogCopies}); guarded by the monitor. */
    JsonLogCopier logCopier;
    boolean deleting;

    ContainerEntry(Container c) {
        this.c = c;
    }

    synchronized long nextRun() {
        return ++runGeneration;
    }

    /** Wakes everyone waiting for an exit: a run ended or will not start. */
    synchronized void signalExit() {
        exitGeneration++;
        notifyAll();
    }

    /** False if the container still runs when the timeout is up. */
    boolean awaitNotRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (c.state().isRunning() && !removed) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return false;
                try {
                    wait(left);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new SystemFailureException("interrupted waiting for container " + c.id(), ex);
                }
            }
        }
        return true;
    }

    /**
     * Blocks until the condition holds and returns the exit code: "not-running" (default; returns at once if
     * the container is neither running nor restarting, else at its next exit), "next-exit" (the next exit after
     * this call), "removed".
     */
    int waitFor(String condition) {
        String cond = condition == null || condition.isEmpty() ? "not-running" : condition;
        try {
            synchronized (this) {
                switch (cond) {
                    case "next-exit" -> {
                        long g = exitGeneration;
                        while (exitGeneration == g && !removed) wait();
                    }
                    case "removed" -> {
                        while (!removed) wait();
                    }
                    case "not-running" -> {
                        // As in Docker, a restarting container counts as running, and the wait ends at the next
                        // exit even when the restart policy brings the container straight back.
                        if (c.state().isRunning() || c.state().status() == ContainerState.Status.RESTARTING) {
                            long g = exitGeneration;
                            while (exitGeneration == g && !removed) wait();
                        }
                    }
                    default -> throw new InvalidArgumentException("invalid condition: \"" + condition + "\"");
                }
                return c.state().exitCode();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("interrupted waiting for container", ex);
        }
    }
}
