package io.berth.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When a json-file container's {@link JsonLogCopier} runs: from each start (or berthd's recovery of a running
 * container) to the settling of its exit, which first waits until the copier has copied the last output conmon
 * spooled, so that whoever sees the container exited ({@code docker wait}, docker-py's {@code run()}) reads its
 * whole log. Containers of other formats have none.
 */
final class JsonLogCopies {
    private static final Logger LOG = Logger.getLogger(JsonLogCopies.class.getName());
    /** How long a settling waits for the last records; longer only when the disk is full (they stay spooled). */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private JsonLogCopies() {}

    static void start(ContainerEntry e) {
        Container c = e.c;
        if (!c.spec().lifecycle().log().readable() || c.logFormat() != LogFormat.JSON_FILE) return;
        synchronized (e) {
            if (e.logCopier != null) return;
            e.logCopier = copier(e);
            e.logCopier.start();
        }
    }

    /** After the container's end: copies the rest of the spool, then stops the copier and drops the spool. */
    static void finish(ContainerEntry e) {
        Container c = e.c;
        if (!c.spec().lifecycle().log().readable() || c.logFormat() != LogFormat.JSON_FILE) return;
        JsonLogCopier copier;
        synchronized (e) {
            copier = e.logCopier;
            e.logCopier = null;
        }
        if (copier == null) { // the container ended while berthd was down
            copier = copier(e);
            copier.start();
        }
        boolean drained = copier.drain(DRAIN);
        copier.stop();
        if (!drained) {
            LOG.warning("the log of " + c.id() + " is not all copied yet; it stays spooled for its next start");
            return;
        }
        try {
            copier.removeSpool();
        } catch (IOException ex) {
            LOG.log(Level.WARNING, "removing the log spool of " + c.id() + ": " + ex.getMessage(), ex);
        }
    }

    /** Stops the copier without waiting for it to catch up (berthd's service closes; the next one resumes it). */
    static void stop(ContainerEntry e) {
        JsonLogCopier copier;
        synchronized (e) {
            copier = e.logCopier;
            e.logCopier = null;
        }
        if (copier != null) copier.stop();
    }

    private static JsonLogCopier copier(ContainerEntry e) {
        Container c = e.c;
        return new JsonLogCopier(c.paths(), new LogFiles(c.logPath(), e.logFilesLock), c.spec().lifecycle().log(), () -> {
            return ProcessLiveness.isConmonOf(e.c.conmonPid(), c.id());
        });
    }
}
