package io.berth.runtime;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;

/**
 * Removes a container: kills it first if forced, then runtime delete, the run steps' tear-down (network,
 * rootfs), and the directory tree. From
 * the moment the tree is being deleted no state write may recreate container.json.
 */
final class ContainerRemover {
    private final ContainerRegistry registry;
    private final ExecRegistry execs;
    private final OciRuntimes runtimes;
    private final RunSteps steps;
    private final StatePublisher publisher;
    private final ContainerStopper stopper;
    private final ContainerEvents events;
    private final java.util.function.Consumer<ContainerSpec> autoRemoved;

    ContainerRemover(ContainerRegistry registry, ExecRegistry execs, OciRuntimes runtimes, RunSteps steps, StatePublisher publisher,
                     ContainerStopper stopper, ContainerEvents events, java.util.function.Consumer<ContainerSpec> autoRemoved) {
        this.autoRemoved = autoRemoved;
        this.registry = registry;
        this.execs = execs;
        this.runtimes = runtimes;
        this.steps = steps;
        this.publisher = publisher;
        this.stopper = stopper;
        this.events = events;
    }

    void remove(ContainerEntry e, boolean force) {
        e.opLock.lock();
        try {
            Container c = e.c;
            // a concurrent remove got the lock first
            if (e.removed) throw new NotFoundException("No such container: " + c.id());
            if (c.state().status() == ContainerState.Status.RESTARTING && !force) {
                throw new ConflictException("You cannot remove a restarting container " + c.id()
                        + ". Stop the container before attempting removal or force remove");
            }
            if (c.state().isRunning()) {
                if (!force) {
                    throw new ConflictException("You cannot remove a running container " + c.id()
                            + ". Stop the container before attempting removal or force remove");
                }
                publisher.publish(e, c.withManuallyStopped(true));
                stopper.sendSignalAll(e, Signals.SIGKILL);
                if (!e.awaitNotRunning(Duration.ofSeconds(30))) {
                    throw new SystemFailureException("could not kill running container " + c.id() + ", cannot remove");
                }
            }
            c = e.c;
            synchronized (e) {
                e.c = c.withState(c.state().withStatus(ContainerState.Status.REMOVING));
            }
            runtimes.of(c).deleteQuietly(c.id());
            steps.tearDown(c);
            publisher.stopSaving(e);
            ContainerTrash.discard(c.paths().dir());
            deleteTree(c.paths().runDir());
            synchronized (e) {
                e.removed = true;
                e.notifyAll();
            }
            registry.forget(c.id());
            execs.forgetContainer(c.id());
            events.emit(c.id(), "destroy", Map.of("name", c.name(), "image", c.spec().image()));
        } finally {
            e.opLock.unlock();
        }
    }

    /** Auto-remove runs outside the caller's locks: remove takes the op lock itself. */
    void removeInBackground(ContainerEntry e) {
        Thread.ofVirtual().start(() -> {
            try {
                remove(e, true);
            } catch (RuntimeException ignored) {
                // left for the user to remove
                return;
            }
            try {
                autoRemoved.accept(e.c.spec());
            } catch (RuntimeException ignored) {
                // a volume still in use stays, as with docker rm -v
            }
        });
    }

    /** For undoing a half-made container, where the first failure is the one to report. */
    static void deleteTreeQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (SystemFailureException ignored) {
            // what is left is reported by nothing, but the caller's error says why the create failed
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ex) {
            throw new SystemFailureException("removing " + dir + ": " + ex.getMessage(), ex);
        }
    }
}
