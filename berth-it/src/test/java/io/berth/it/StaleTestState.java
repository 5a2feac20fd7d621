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
 * Runs once per test JVM, before the first daemon of this run starts; a root whose owning test JVM is still
 * alive (another checkout's run on the same machine) is not stale.
 */
final class StaleTestState {
    private static final String OWNER = "test-jvm.owner";
    private static boolean done;

    private StaleTestState() {}

    /** Marks {@code root} as this test JVM's, so a run started meanwhile from another checkout leaves it alone. */
    static void claim(Path root) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(root.resolve(OWNER), self.pid() + " " + self.info().startInstant().map(Object::toString).orElse(""));
    }

    private static boolean ownerAlive(Path root) {
        try {
            String[] owner = Files.readString(root.resolve(OWNER)).trim().split(" ");
            return ProcessHandle.of(Long.parseLong(owner[0]))
                    .filter(p -> owner.length < 2 || p.info().startInstant().map(Object::toString).orElse("").equals(owner[1]))
                    .isPresent();
        } catch (IOException | RuntimeException e) {
            return false; // no owner file: a run from before owners were recorded, or a broken one
        }
    }

    static synchronized void clearOnce() throws IOException, InterruptedException {
        if (done) return;
        done = true;
        List<Path> stale;
        Files.createDirectories(DaemonFixture.base());
        try (Stream<Path> dirs = Files.list(DaemonFixture.base())) {
            stale = dirs.filter(d -> d.getFileName().toString().startsWith("berth-it-"))
                    .filter(d -> !ownerAlive(d)).toList();
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
        for (Path d : stale) Cmd.run(List.of("rm", "-rf", d.toString()), Map.of(), null, Duration.ofSeconds(60));
    }
}
