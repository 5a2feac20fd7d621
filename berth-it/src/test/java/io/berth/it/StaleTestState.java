package io.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Clears what an interrupted earlier test run left behind (its containers keep running under conmon by
 * design, with overlay mounts under /var/tmp/berth-it-*), so runs on the same machine do not pile up.
 * Runs once per test JVM, before the first daemon of this run starts. A root belongs to the test JVM whose pid
 * is in its owner.pid: roots of a test run still going on beside this one (another checkout's) are not stale.
 */
final class StaleTestState {
    private static boolean done;

    private StaleTestState() {}

    static synchronized void clearOnce() throws IOException, InterruptedException {
        if (done) return;
        done = true;
        List<Path> stale;
        try (Stream<Path> dirs = Files.list(Path.of("/var/tmp"))) {
            stale = dirs.filter(d -> d.getFileName().toString().startsWith("berth-it-") && !ownerAlive(d)).toList();
        }
        if (stale.isEmpty()) return;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            String cmd = p.info().commandLine().orElse("");
            boolean ours = stale.stream().anyMatch(d -> cmd.contains(d.toString()));
            // conmon and the daemon of a stale root: their containers die with conmon's kill below
            if (ours) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        for (String mount : Files.readAllLines(Path.of("/proc/mounts"))) {
            String target = mount.split(" ")[1];
            if (stale.stream().anyMatch(d -> target.startsWith(d.toString()))) {
                Cmd.run(List.of("umount", "-l", target), Map.of(), null, Duration.ofSeconds(10));
            }
        }
        for (Path d : stale) {
            Cmd.run(List.of("rm", "-rf", d.toString(), Path.of("/run/berth-it").resolve(d.getFileName()).toString()), Map.of(),
                    null, Duration.ofSeconds(60));
        }
    }

    /** Marks {@code root} as this test JVM's. */
    static void claim(Path root) {
        try {
            Files.writeString(root.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean ownerAlive(Path root) {
        try {
            long pid = Long.parseLong(Files.readString(root.resolve("owner.pid")).trim());
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false; // a root from before owner.pid, or half made
        }
    }
}
