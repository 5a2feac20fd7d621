package io.berth.network.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the privileged network tests look at inside a network namespace, through the host's nsenter. */
final class NetnsShell {
    private NetnsShell() {}

    /** `ip link` in the namespace at {@code netns}. */
    static String links(Path netns) throws Exception {
        return run("nsenter", "--net=" + netns, "ip", "link");
    }

    /** A busybox applet run in the namespace at {@code netns} (the host's busybox, the namespace's network). */
    static String busybox(Path netns, String... applet) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns, "busybox"));
        cmd.addAll(List.of(applet));
        return run(cmd.toArray(String[]::new));
    }

    /** Runs {@code cmd}, its stderr merged into the stdout returned. */
    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
