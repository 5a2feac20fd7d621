package io.berth.runtime.health;

/** Runs a container's check once. A check that cannot even be started is a result too: exit code -1 and why. */
@FunctionalInterface
public interface Probe {
    /** @throws InterruptedException when the monitor stops meanwhile; the check is then killed and not recorded */
    HealthResult run() throws InterruptedException;
}
