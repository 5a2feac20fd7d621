package io.berth.runtime;

import java.util.List;

/**
 * A process to run inside a running container (docker exec). user "" means the container's user; detachKeys ""
 * means Docker's default, as the client gave it (the API layer checks and applies it).
 */
public record ExecSpec(List<String> args, List<String> env, String workingDir, String user, boolean tty,
                       boolean attachStdin, boolean privileged, String detachKeys) {
    public ExecSpec {
        args = List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        detachKeys = detachKeys == null ? "" : detachKeys;
    }

    /** An exec with the default detach keys (health checks, tests). */
    public ExecSpec(List<String> args, List<String> env, String workingDir, String user, boolean tty,
                    boolean attachStdin, boolean privileged) {
        this(args, env, workingDir, user, tty, attachStdin, privileged, "");
    }
}
