package io.berth.runtime;

/** Docker's restart policy: name is "", "no", "always", "unless-stopped" or "on-failure". */
public record RestartPolicy(String name, int maximumRetryCount) {
    public static final RestartPolicy NONE = new RestartPolicy("no", 0);

    public RestartPolicy {
        name = name == null || name.isEmpty() ? "no" : name;
    }

    /**
     * Whether a container that just exited with {@code exitCode} restarts. A container stopped by the user
     * never restarts (until it is started again), as in Docker.
     */
    public boolean shouldRestart(int exitCode, boolean manuallyStopped, int restartCount) {
        if (manuallyStopped) return false;
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (maximumRetryCount <= 0 || restartCount < maximumRetryCount);
            default -> false;
        };
    }
}
