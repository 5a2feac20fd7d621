package io.berth.it;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One berthd per test class, with busybox:latest made from the host's busybox-static. The data root lives
 * under /var/tmp (not /tmp, which may be a tmpfs without overlay upper-dir support on some hosts).
 */
final class DaemonFixture {
    private DaemonFixture() {}

    /** Where test data roots go: /var/tmp, or -Dberth.it.tmp=DIR to keep runs of several checkouts apart. */
    static Path base() {
        return Path.of(System.getProperty("berth.it.tmp", "/var/tmp"));
    }

    static BerthdProcess startWithBusybox(String name) throws Exception {
        StaleTestState.clearOnce();
        Files.createDirectories(base());
        Path root = Files.createTempDirectory(base(), "berth-it-" + name + "-");
        StaleTestState.claim(root);
        BerthdProcess daemon = new BerthdProcess(root).start();
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
        Cmd.run(java.util.List.of("rm", "-rf", daemon.root.toString()), java.util.Map.of(), null, java.time.Duration.ofSeconds(60));
    }
}
