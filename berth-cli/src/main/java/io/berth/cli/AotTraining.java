package io.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training run of the CLI's AOT cache ({@code -XX:AOTCacheOutput}, made by scripts/env.sh after
 * every build). A JDK 25 cache holds the classes one run loaded and linked and the method profiles it
 * gathered, so one JVM runs every command people type most, through {@link Main#run} as a real call
 * would: without it a cache trained on {@code run} alone left ~280 classes of {@code ps}'s path (the
 * table, templates, time zones) to be loaded and linked from the jars on every {@code ps}.
 *
 * <p>It leaves in the daemon at most a {@code busybox sleep} container, removed at the end (and by
 * {@code --rm} should the run die first), and the events of it. Without a daemon, or without a
 * busybox image, each command stops at its error, having loaded nearly every class before it.
 */
public final class AotTraining {

    /**
     * The container the commands that need a running one (exec, logs, inspect) act on; the pid keeps two
     * builds training against one daemon at once from removing each other's.
     */
    static final String CONTAINER = "berth-aot-training-" + ProcessHandle.current().pid();

    private AotTraining() {}

    /** {@code container} trains the cache of {@code run} and {@code exec} alone; no argument, the general one. */
    public static void main(String[] args) {
        // The process's own streams, as a real call has them (the build sends them to /dev/null).
        Io io = Io.system();
        for (List<String> command : args.length > 0 && args[0].equals("container") ? containerCommands() : commands()) {
            run(command, io, System.getenv());
        }
        io.out().flush();
        Runtime.getRuntime().halt(0); // as Main ends a call (the cache is written at halt too)
    }

    /** Every call, in order; the container is started first and removed last. */
    static List<List<String>> commands() {
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("run", "-d", "--rm", "--pull", "never", "--name", CONTAINER, "busybox", "sleep", "60"));
        commands.add(List.of("exec", CONTAINER, "true"));
        commands.add(List.of("logs", CONTAINER));
        commands.add(List.of("inspect", CONTAINER));
        commands.add(List.of("inspect", "-f", "{{.State.Status}}", CONTAINER));
        commands.add(List.of("ps"));
        commands.add(List.of("ps", "-a"));
        commands.add(List.of("ps", "-q"));
        commands.add(List.of("ps", "-a", "--format", "{{.Names}}\t{{.Status}}"));
        commands.add(List.of("images"));
        commands.add(List.of("run", "--rm", "--pull", "never", "busybox", "true"));
        commands.add(List.of("rm", "-f", CONTAINER));
        commands.add(List.of("--version"));
        return commands;
    }

    /**
     * The calls of the cache the launcher gives {@code run} and {@code exec}, the commands scripts start
     * containers with: a JDK 25 JVM loads and links every class of its cache at start, whatever the command,
     * and {@code exec} uses ~1,900 of the general cache's ~2,900 classes (its table, templates, logs and
     * inspect code would cost it ~10 ms of CPU on every call).
     */
    static List<List<String>> containerCommands() {
        return commands().stream().filter(c -> c.get(0).equals("run") || c.get(0).equals("exec")
                || c.get(0).equals("rm")).toList();
    }

    /** One call: what matters is the code it ran, not whether it succeeded. */
    static int run(List<String> command, Io io, Map<String, String> env) {
        try {
            return Main.run(command.toArray(String[]::new), io, env);
        } catch (RuntimeException e) {
            return 1; // a command that fails still trained the classes up to its failure
        }
    }
}
