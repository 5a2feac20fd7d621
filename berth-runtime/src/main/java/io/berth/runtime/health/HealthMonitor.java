package io.berth.runtime.health;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one container's checks for one run of it, on a virtual thread of its own (cheap for hundreds of
 * containers): wait the start interval or the interval (see {@link Health#nextDelay}), check, record, repeat,
 * until {@link #stop()}. A check that is running when the monitor stops is killed and its result dropped, as
 * Docker drops it: the run it belonged to is over.
 */
public final class HealthMonitor {
    private static final Logger LOG = Logger.getLogger("berth-runtime");

    private final String name;
    private final HealthConfig config;
    private final Instant startedAt;
    private final Supplier<Health> current;
    private final Probe probe;
    private final Consumer<HealthResult> record;
    private final Object recording = new Object();
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param current the container's health now (it decides the next delay)
     * @param record applies a result to the container; never called after {@link #stop()} returns
     */
    public HealthMonitor(String name, HealthConfig config, Instant startedAt, Supplier<Health> current, Probe probe,
                         Consumer<HealthResult> record) {
        this.name = name;
        this.config = config;
        this.startedAt = startedAt;
        this.current = current;
        this.probe = probe;
        this.record = record;
    }

    public synchronized void start() {
        if (thread != null) throw new IllegalStateException("health monitor " + name + " already started");
        thread = Thread.ofVirtual().name("health-" + name).start(this::loop);
    }

    /** Stops checking; a check in flight is killed. Returns once no result of this monitor can be recorded any more. */
    public void stop() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        // Under the lock the loop is not recording (an interrupt there could break the save of a result); once
        // it is released, the flag keeps every later result out.
        synchronized (recording) {
            if (t != null && t != Thread.currentThread()) t.interrupt();
        }
    }

    private void loop() {
        try {
            while (!stopped) {
                TimeUnit.NANOSECONDS.sleep(current.get().nextDelay(config, startedAt, Instant.now()));
                if (stopped) return;
                HealthResult result;
                try {
                    result = probe.run();
                } catch (RuntimeException e) {
                    result = new HealthResult(Instant.now(), Instant.now(), -1, String.valueOf(e.getMessage()));
                }
                synchronized (recording) {
                    if (stopped) return;
                    try {
                        record.accept(result);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "health check of " + name + ": result not recorded: " + e.getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }
}
