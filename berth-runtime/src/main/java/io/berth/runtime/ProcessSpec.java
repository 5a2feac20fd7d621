package io.berth.runtime;

import java.util.List;

/**
 * The container's main process: what runs, as whom, where, with which stdio, and how it is asked to stop.
 *
 * @param args the final argv (the image's entrypoint and cmd merged with the request's); never empty once created
 * @param user "", "name", "uid", "uid:gid", "name:group"; resolved against the rootfs at every start
 * @param init run the args under the host's catatonit/tini as pid 1 ({@code --init})
 * @param stopSignal "SIGTERM", "TERM" or a number; null or empty means SIGTERM
 * @param stopTimeoutSeconds seconds between the stop signal and SIGKILL; null means berth's default (10)
 * @param groupAdd more groups for the user ({@code --group-add}): gids or names in the rootfs's /etc/group,
 *                 resolved at every start and exec
 * @param keepStdinOpen Docker's OpenStdin without StdinOnce ({@code run -d -i}): an attach that ends leaves the
 *                      container's stdin open for the next one; otherwise the first attach's end closes it
 * @param consoleSize the terminal's size when the process starts (Docker's {@code HostConfig.ConsoleSize}, the
 *                    client's terminal at create); null: the runtime's default until the client's first resize
 */
public record ProcessSpec(List<String> args, List<String> env, String workingDir, String user, boolean tty,
                          boolean openStdin, boolean init, String stopSignal, Integer stopTimeoutSeconds,
                          List<String> groupAdd, boolean keepStdinOpen, ConsoleSize consoleSize) {
    /** A terminal's rows and columns, both positive. */
    public record ConsoleSize(int rows, int cols) {}

    public ProcessSpec {
        groupAdd = groupAdd == null ? List.of() : List.copyOf(groupAdd);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
    }
}
