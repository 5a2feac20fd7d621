package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes a new container snapshot visible (waking waiters) and durable in container.json. The snapshot in memory
 * is the truth while berthd runs: when the save fails (a full data disk), the operation that changed the state
 * (a kill, a stop, an exit) still happens, the failure is logged, and the next successful save of that
 * container writes the newest state. Until then a berthd crash would find the older document; recovery re-reads
 * the exit from conmon's exit file on the exec root, so what can be lost is only the "stopped by hand" mark.
 */
final class StatePublisher {
    private static final Logger LOG = Logger.getLogger("berth-runtime");

    private final ContainerStore store;

    StatePublisher(ContainerStore store) {
        this.store = store;
    }

    void publish(ContainerEntry e, Container c) {
        synchronized (e) {
            e.c = c;
            e.notifyAll();
        }
        // Writes the newest state, not necessarily c: a slower writer must not store an older state last.
        synchronized (e.saveLock) {
            if (e.deleting) return;
            try {
                store.save(e.c);
            } catch (SystemFailureException ex) {
                LOG.log(Level.WARNING, "container " + e.c.id() + ": state kept in memory only: " + ex.getMessage());
            }
        }
    }

    /** From now on nothing writes container.json: its directory is about to be deleted. */
    void stopSaving(ContainerEntry e) {
        synchronized (e.saveLock) {
            e.deleting = true;
        }
    }
}
