package io.berth.runtime;

import io.berth.runtime.health.Health;
import io.berth.runtime.health.HealthConfig;
import io.berth.runtime.health.HealthMonitor;
import io.berth.runtime.health.HealthResult;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one {@link HealthMonitor} per running container that has a healthcheck, following the lifecycle
 * events: "start" resets State.Health to starting and begins checking, "unpause" resumes, "pause", "die" and
 * "destroy" stop it. Results go into the container's snapshot; a status or streak change is saved with
 * container.json and a status change is published as Docker's "health_status: healthy|unhealthy" event.
 * After a berthd restart, {@link #resume} begins again for each running container, reset to starting as
 * Docker's daemon does on restore (the log is kept).
 */
final class ContainerHealth {
    private final ContainerRegistry registry;
    private final StatePublisher publisher;
    private final ExecRegistry execs;
    private final ContainerEvents events;
    private final Map<String, HealthMonitor> monitors = new ConcurrentHashMap<>();

    /** @param events where health_status events go (the daemon's bus, not back into {@link #observe}) */
    ContainerHealth(ContainerRegistry registry, StatePublisher publisher, ExecRegistry execs, ContainerEvents events) {
        this.registry = registry;
        this.publisher = publisher;
        this.execs = execs;
        this.events = events;
    }

    /** Follows a lifecycle event of container {@code id}. */
    void observe(String id, String action) {
        switch (action) {
            case "start" -> begin(id, true);
            case "unpause" -> begin(id, false);
            case "pause", "die", "destroy" -> end(id);
            default -> { }
        }
    }

    /** A running container found by recovery: checks begin again from starting. */
    void resume(String id) {
        begin(id, true);
    }

    void close() {
        monitors.keySet().forEach(this::end);
    }

    private void begin(String id, boolean reset) {
        ContainerEntry e;
        try {
            e = registry.find(id);
        } catch (RuntimeException notFound) {
            return;
        }
        HealthConfig config = e.c.spec().lifecycle().healthcheck();
        if (config == null || !config.probes() || e.c.state().status() != ContainerState.Status.RUNNING) return;
        end(id);
        if (reset || e.c.health() == null) {
            publisher.update(e, c -> c.withHealth(Health.starting(c.health())), (a, b) -> true);
        }
        Instant startedAt = e.c.state().startedAt();
        ExecProbe probe = new ExecProbe(execs, e, config.command(e.c.spec().lifecycle().shell()), config.effectiveTimeout());
        HealthMonitor m = new HealthMonitor(id.substring(0, 12), config, startedAt, () -> e.c.health(), probe,
                result -> record(e, config, startedAt, result));
        monitors.put(id, m);
        m.start();
    }

    private void end(String id) {
        HealthMonitor m = monitors.remove(id);
        if (m != null) m.stop();
    }

    private void record(ContainerEntry e, HealthConfig config, Instant startedAt, HealthResult result) {
        if (e.c.state().status() != ContainerState.Status.RUNNING) return;
        Health[] before = new Health[1];
        Container now = publisher.update(e, c -> {
            before[0] = c.health() == null ? Health.starting(null) : c.health();
            return c.withHealth(before[0].after(result, config, startedAt));
        }, (a, b) -> b.health().status() != before[0].status() || b.health().failingStreak() != before[0].failingStreak());
        Health.Status status = now.health().status();
        if (!Objects.equals(status, before[0].status())) {
            events.emit(now.id(), "health_status: " + status.dockerName(),
                    Map.of("name", now.name(), "image", now.spec().image()));
        }
    }
}
