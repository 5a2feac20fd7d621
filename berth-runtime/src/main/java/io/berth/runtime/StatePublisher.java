package io.berth.runtime;

/** Makes a new container snapshot visible (waking waiters) and durable in container.json. */
final class StatePublisher {
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
            if (!e.deleting) store.save(e.c);
        }
    }

    /** From now on nothing writes container.json: its directory is about to be deleted. */
    void stopSaving(ContainerEntry e) {
        synchronized (e.saveLock) {
            e.deleting = true;
        }
    }
}
