package io.berth.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One berthd per test class, with busybox:latest made from the host's busybox-static. The data root lives
 * under /var/tmp (not /tmp, which may be a tmpfs without overlay upper-dir support on some hosts).
 */
final class DaemonFixture {
    private DaemonFixture() {}

    static BerthdProcess startWithBusybox(String name) throws Exception {
        StaleTestState.clearOnce();
        Path root = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-" + name + "-");
        return withBusybox(new BerthdProcess(root).start());
    }

    /** As {@link #startWithBusybox(String)}, the daemon listening on {@code socket} (a socket a dead run left there goes). */
    static BerthdProcess startWithBusybox(String name, Path socket) throws Exception {
        StaleTestState.clearOnce();
        Path root = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-" + name + "-");
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        return withBusybox(new BerthdProcess(root, root.resolve("data"), socket).start());
    }

    private static BerthdProcess withBusybox(BerthdProcess daemon) throws Exception {
        daemon.cli("image", "make-busybox", "busybox:latest").orFail();
        return daemon;
    }

    /** Removes every container (so conmon processes and mounts go away) and stops the daemon. */
    static void stop(BerthdProcess daemon) throws Exception {
        if (daemon == null) return;
        Cmd.Result ids = daemon.cli("ps", "-aq");
        for (String id : ids.out().split("\\s+")) {
            if (!id.isBlank()) daemon.cli("rm", "-f", id);
        }
        daemon.close();
        // Deleting a test's data root is cleanup, not a check: on a loaded disk a root with thousands of files took
        // over a minute. What a slow delete leaves, StaleTestState removes in a later run.
        try {
            Cmd.run(java.util.List.of("rm", "-rf", daemon.root.toString(), daemon.execRoot.toString()), java.util.Map.of(), null,
                    java.time.Duration.ofSeconds(300));
        } catch (AssertionError slow) {
            System.err.println("cleanup: " + slow.getMessage());
        }
    }
}
