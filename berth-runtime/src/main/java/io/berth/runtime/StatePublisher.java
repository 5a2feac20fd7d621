package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;

import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
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
        publish(e, c, true);
    }

    /**
     * As {@link #publish(ContainerEntry, Container)}; with {@code durable} false the snapshot is only made visible,
     * for a state that nothing needs after a crash (container.json keeps the one before).
     */
    void publish(ContainerEntry e, Container c, boolean durable) {
        synchronized (e) {
            e.c = c;
            e.notifyAll();
        }
        if (!durable) return;
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

    /**
     * Changes the newest snapshot (read and replaced under the entry's monitor, so a concurrent publish is not
     * undone) and saves it only when {@code durable} says the change must survive a crash: the health monitor
     * records every check in memory but saves only status and streak changes, not a file write per check.
     */
    Container update(ContainerEntry e, UnaryOperator<Container> change, BiPredicate<Container, Container> durable) {
        Container before;
        Container after;
        synchronized (e) {
            before = e.c;
            after = change.apply(before);
            e.c = after;
            e.notifyAll();
        }
        if (durable.test(before, after)) {
            synchronized (e.saveLock) {
                if (e.deleting) return after;
                try {
                    store.save(e.c);
                } catch (SystemFailureException ex) {
                    LOG.log(Level.WARNING, "container " + e.c.id() + ": state kept in memory only: " + ex.getMessage());
                }
            }
        }
        return after;
    }

    /** From now on nothing writes container.json: its directory is about to be deleted. */
    void stopSaving(ContainerEntry e) {
        synchronized (e.saveLock) {
            e.deleting = true;
        }
    }
}
