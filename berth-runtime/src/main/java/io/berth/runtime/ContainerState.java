package io.berth.runtime;

import java.time.Instant;

/** The observable state of a container, as Docker's inspect "State" shows it. */
public record ContainerState(Status status, int pid, int exitCode, boolean oomKilled, String error,
                             Instant startedAt, Instant finishedAt) {

    public enum Status {
        CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

        /** Docker's lowercase spelling ("created", "running", "exited", ...). */
        public String dockerName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static ContainerState created() {
        return new ContainerState(Status.CREATED, 0, 0, false, "", null, null);
    }

    public ContainerState {
        error = error == null ? "" : error;
    }

    public boolean isRunning() {
        return status == Status.RUNNING || status == Status.PAUSED;
    }

    public boolean canStart() {
        return status == Status.CREATED || status == Status.EXITED || status == Status.RESTARTING;
    }

    public boolean canKill() {
        return status == Status.RUNNING || status == Status.PAUSED;
    }

    public boolean canRemove() {
        return status == Status.CREATED || status == Status.EXITED || status == Status.DEAD;
    }

    ContainerState running(int newPid, Instant at) {
        return new ContainerState(Status.RUNNING, newPid, 0, false, "", at, finishedAt);
    }

    ContainerState exited(int code, boolean oom, Instant at) {
        return new ContainerState(Status.EXITED, 0, code, oom, error, startedAt, at);
    }

    ContainerState withStatus(Status s) {
        return new ContainerState(s, pid, exitCode, oomKilled, error, startedAt, finishedAt);
    }

    ContainerState withError(String message) {
        return new ContainerState(status, pid, exitCode, oomKilled, message, startedAt, finishedAt);
    }
}
