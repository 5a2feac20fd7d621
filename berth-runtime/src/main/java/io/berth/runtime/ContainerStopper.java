package io.berth.runtime;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.SystemFailureException;

import java.time.Duration;
import java.util.Map;

/**
 * Stop and kill. Both mark the container manually stopped first, so its restart policy does not bring it
 * back (Docker's rule). Stop sends the stop signal, waits out the timeout, then SIGKILLs every process in the
 * container; the exit itself is noticed and settled by the exit settler, which this class only waits for.
 */
final class ContainerStopper {
    private final OciRuntimes runtimes;
    private final StatePublisher publisher;
    private final ContainerEvents events;

    ContainerStopper(OciRuntimes runtimes, StatePublisher publisher, ContainerEvents events) {
        this.runtimes = runtimes;
        this.publisher = publisher;
        this.events = events;
    }

    /** The caller holds the op lock. {@code signalOverride} (docker stop -s) replaces the container's stop signal; null keeps it. */
    void stop(ContainerEntry e, Integer timeoutSeconds, Integer signalOverride) {
        Container c = e.c;
        if (c.state().status() == ContainerState.Status.RESTARTING) {
            publisher.publish(e, c.withManuallyStopped(true).withState(c.state().withStatus(ContainerState.Status.EXITED)));
            e.signalExit();
            events.emit(c.id(), "stop", Map.of("name", c.name()));
            return;
        }
        if (!c.state().isRunning()) throw new FailedPreconditionException("container already stopped");
        publisher.publish(e, c.withManuallyStopped(true));
        ProcessSpec process = c.spec().process();
        int timeout = timeoutSeconds != null ? timeoutSeconds
                : process.stopTimeoutSeconds() != null ? process.stopTimeoutSeconds() : 10;
        int signal = signalOverride != null ? signalOverride : Signals.parse(process.stopSignal(), Signals.SIGTERM);
        sendSignal(e, signal);
        if (timeout < 0 || !e.awaitNotRunning(Duration.ofSeconds(timeout))) {
            if (e.c.state().isRunning()) {
                sendSignalAll(e, Signals.SIGKILL);
                if (!e.awaitNotRunning(Duration.ofSeconds(30))) {
                    throw new SystemFailureException("container " + c.id() + " did not exit after SIGKILL");
                }
            }
        }
        // An exit racing with this stop may have scheduled a restart: the stop wins, as in Docker.
        if (e.c.state().status() == ContainerState.Status.RESTARTING) settleStopped(e);
        events.emit(c.id(), "stop", Map.of("name", c.name()));
    }

    /** The caller holds the op lock. {@code asNamed} is the id or name the user gave, which Docker's refusal repeats. */
    void kill(ContainerEntry e, int signal, String asNamed) {
        if (!e.c.state().canKill()) {
            throw new ConflictException("Cannot kill container: " + asNamed + ": Container " + e.c.id() + " is not running");
        }
        publisher.publish(e, e.c.withManuallyStopped(true));
        sendSignal(e, signal);
        if (signal == Signals.SIGKILL) e.awaitNotRunning(Duration.ofSeconds(10));
    }

    /** A restarting container that was stopped by the user ends as exited, keeping its last exit code. */
    void settleStopped(ContainerEntry e) {
        publisher.publish(e, e.c.withState(e.c.state().withStatus(ContainerState.Status.EXITED)));
        e.signalExit();
    }

    private void sendSignal(ContainerEntry e, int signal) {
        Container c = e.c;
        events.emit(c.id(), "kill", Map.of("name", c.name(), "signal", Integer.toString(signal)));
        try {
            runtimes.of(c).kill(c.id(), signal);
            if (c.state().status() == ContainerState.Status.PAUSED && (signal == Signals.SIGKILL || signal == Signals.SIGTERM)) {
                // a frozen cgroup cannot act on the signal; thaw it as Docker does
                runtimes.of(c).resume(c.id());
            }
        } catch (SystemFailureException ex) {
            if (e.c.state().isRunning() && ProcessLiveness.alive(e.c.state().pid())) throw ex;
        }
    }

    /** Signals every process in the container, so forked children die too. */
    void sendSignalAll(ContainerEntry e, int signal) {
        Container c = e.c;
        try {
            runtimes.of(c).killAll(c.id(), signal);
            if (c.state().status() == ContainerState.Status.PAUSED) runtimes.of(c).resume(c.id());
        } catch (SystemFailureException ex) {
            if (e.c.state().isRunning() && ProcessLiveness.alive(e.c.state().pid())) throw ex;
        }
    }
}
