package io.berth.runtime;

import java.io.IOException;

/**
 * One part of a container's run environment that berthd makes outside the OCI runtime: the rootfs mount, the
 * network, the /etc files, the volumes' first fill. {@link RunSteps} sets the steps up in order before the
 * runtime creates the container and tears them down in reverse after the run ends, when a start fails, when
 * the container is removed, and when recovery finds a run that is over.
 * <p>
 * Both directions must be idempotent, because berthd can be killed at any point: a start after a crash runs
 * {@code setUp} again over whatever the last attempt left, and recovery runs {@code tearDown} on a step that
 * may be half set up, fully set up or already gone. A step that needs to know what it made in order to undo
 * it writes that down under the container's run directory before making it.
 */
public interface ContainerStep {
    /** Short name for errors and logs ("rootfs", "network"). */
    String name();

    void setUp(StepRun run) throws IOException;

    /** Undoes {@link #setUp}; what is already gone is not an error. */
    void tearDown(StepRun run) throws IOException;
}
