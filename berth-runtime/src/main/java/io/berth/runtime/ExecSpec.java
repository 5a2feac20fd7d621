package io.berth.runtime;

import java.util.List;

/** A process to run inside a running container (docker exec). user "" means the container's user. */
public record ExecSpec(List<String> args, List<String> env, String workingDir, String user, boolean tty,
                       boolean attachStdin, boolean privileged) {
    public ExecSpec {
        args = List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
    }
}
