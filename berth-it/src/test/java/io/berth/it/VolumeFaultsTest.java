package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, section 3: kill -9 of berthd during volume create, copy-up and rm -v, and a host reboot simulation.
 * After each restart the volume list is truthful (every listed volume whole, every volume directory listed),
 * no volume is half filled, no container mount is left behind and no staging or dot entry survives.
 * Each kill point is reached by watching the data root for the operation's own temp entry, then a few delays.
 */
@Tag("privileged")
class VolumeFaultsTest {
    private static final int FILES = 20_000;
    private static final int[] DELAYS_MS = {0, 60, 250};

    @Test
    void aKillDuringCopyUpLeavesTheVolumeEmptyNeverHalfFilledAndTheNextStartFillsIt() throws Exception {
        BerthdProcess d = DaemonFixture.startWithBusybox("volfaults-copyup");
        try {
            Path ctx = Files.createDirectories(d.root.resolve("many-ctx"));
            Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN mkdir /data && cd /data && i=0;"
                    + " while [ $i -lt " + FILES + " ]; do echo $i > f$i; i=$((i+1)); done\n");
            d.cli("build", "-q", "-t", "many", ctx.toString()).orFail();
            int cutMidCopy = 0;
            for (int i = 0; i < DELAYS_MS.length; i++) {
                String vol = "cu" + i;
                String id = d.docker("create", "-v", vol + ":/data", "many", "sh", "-c", "ls /data | wc -l").orFail().out();
                Path volDir = d.dataRoot.resolve("volumes").resolve(vol);
                Process start = background(d, d.root.resolve("start" + i + ".out"), "start", "-a", id);
                boolean staged = awaitEntry(volDir, n -> n.startsWith("_copyup-"), Duration.ofSeconds(30));
                Thread.sleep(DELAYS_MS[i]);
                if (staged && hasEntry(volDir, n -> n.startsWith("_copyup-"))) cutMidCopy++;
                d.killHard();
                start.destroyForcibly().waitFor();

                d = new BerthdProcess(d.root).start();
                assertThat(d.docker("volume", "ls", "-q").orFail().out().lines()).contains(vol);
                assertThat(names(volDir)).as("no staging directory after the restart").containsExactlyInAnyOrder("_data", "volume.json");
                long count = countEntries(volDir.resolve("_data"));
                assertThat(count).as("the volume is empty or whole, never half").isIn(0L, (long) FILES);
                String status = d.docker("inspect", "-f", "{{.State.Status}}", id).orFail().out();
                if (!status.equals("running")) assertThat(mountsMentioning(id)).as("mounts of a %s container", status).isEmpty();
                // the killed container starts again and sees the whole directory (refilled if the kill cut the copy)
                assertThat(d.docker("start", "-a", id).orFail().out()).isEqualTo(Integer.toString(FILES));
                d.docker("rm", id).orFail();
                assertThat(mountsMentioning(id)).isEmpty();
                assertThat(countEntries(volDir.resolve("_data"))).isEqualTo(FILES);
            }
            assertThat(cutMidCopy).as("kills that landed while the copy-up was running").isPositive();
        } finally {
            DaemonFixture.stop(d);
        }
    }

    @Test
    void aKillDuringVolumeCreatesLeavesATruthfulListAndBadNamesAreRefused() throws Exception {
        BerthdProcess d = DaemonFixture.startWithBusybox("volfaults-create");
        try {
            Path volumes = d.dataRoot.resolve("volumes");
            // names that could leave the volumes directory are refused, by the CLI and by the API
            for (String bad : List.of("..", "../x", "a/b", "x/../../etc")) {
                Cmd.Result r = d.docker("volume", "create", bad);
                assertThat(r.exitCode()).as(bad).isNotZero();
                assertThat(r.stderr()).contains("includes invalid characters for a local volume name");
                assertThat(d.curl("-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"Name\":\"" + bad + "\"}",
                        "http://berthd/volumes/create").orFail().out()).endsWith("400");
            }
            assertThat(names(volumes)).isEmpty();

            // creates: a shell loop of creates, killed at a few points
            for (int i = 0; i < DELAYS_MS.length; i++) {
                String prefix = "k" + i + "-";
                Path out = d.root.resolve("creates" + i + ".out");
                String loop = "for j in $(seq 1 400); do curl -sf --unix-socket " + d.socket + " -X POST"
                        + " -H 'Content-Type: application/json' -d \"{\\\"Name\\\":\\\"k" + i + "-$j\\\"}\""
                        + " http://berthd/volumes/create >/dev/null && echo k" + i + "-$j; done";
                Process p = new ProcessBuilder("sh", "-c", loop).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                awaitEntry(volumes, n -> n.startsWith(prefix), Duration.ofSeconds(30));
                Thread.sleep(100 + DELAYS_MS[i] * 3L);
                d.killHard();
                p.destroyForcibly().waitFor();
                List<String> acknowledged = Files.readAllLines(out);
                assertThat(acknowledged).isNotEmpty();

                d = new BerthdProcess(d.root).start();
                List<String> listed = d.docker("volume", "ls", "-q").orFail().out().lines().toList();
                assertThat(listed).as("every create answered before the kill").containsAll(acknowledged);
                assertTruthful(d, listed);
            }
        } finally {
            DaemonFixture.stop(d);
        }
    }

    @Test
    void aKillDuringRmVLeavesTheAnonymousVolumeWholeOrGone() throws Exception {
        BerthdProcess d = DaemonFixture.startWithBusybox("volfaults-rmv");
        try {
            Path volumes = d.dataRoot.resolve("volumes");
            // rm -v of a container whose anonymous volume holds many files, killed while the volume is deleted
            // written by the container rather than copied up: a volume of 5,000 files takes long enough to delete
            int files = 5_000;
            int cutMidRemoval = 0;
            for (int i = 0; i < DELAYS_MS.length; i++) {
                String id = d.docker("run", "-d", "-v", "/data", "busybox", "sh", "-c", "cd /data && i=0;"
                        + " while [ $i -lt " + files + " ]; do echo $i > f$i; i=$((i+1)); done").orFail().out();
                d.docker("wait", id).orFail();
                String vol = d.docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", id).orFail().out();
                assertThat(countEntries(volumes.resolve(vol).resolve("_data"))).isEqualTo(files);
                Process rm = background(d, d.root.resolve("rm" + i + ".out"), "rm", "-v", id);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (rm.isAlive() && !hasEntry(volumes, n -> n.startsWith(".rm-")) && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                Thread.sleep(DELAYS_MS[i] / 10);
                if (hasEntry(volumes, n -> n.startsWith(".rm-"))) cutMidRemoval++;
                d.killHard();
                rm.destroyForcibly().waitFor();

                d = new BerthdProcess(d.root).start();
                List<String> listed = d.docker("volume", "ls", "-q").orFail().out().lines().toList();
                assertTruthful(d, listed);
                if (listed.contains(vol)) assertThat(countEntries(volumes.resolve(vol).resolve("_data"))).isEqualTo(files);
                assertThat(mountsMentioning(id)).isEmpty();
                d.docker("rm", "-f", id);
                d.docker("volume", "rm", "-f", vol).orFail();
            }
            assertThat(cutMidRemoval).as("kills that landed while the volume's files were being deleted").isPositive();
        } finally {
            DaemonFixture.stop(d);
        }
    }

    @Test
    void namedVolumeDataSurvivesRemovalRestartAndAHostRebootSimulation() throws Exception {
        BerthdProcess d = DaemonFixture.startWithBusybox("volfaults-reboot");
        try {
            d.docker("run", "-d", "--name", "keeper", "-v", "keep:/data", "busybox", "sh", "-c",
                    "echo precious > /data/f; sleep 300").orFail();
            d.docker("run", "--name", "done", "-v", "keep:/d", "busybox", "sh", "-c", "echo more > /d/g").orFail();
            d.docker("run", "--rm", "-v", "keep:/d", "busybox", "true").orFail();
            Path data = d.dataRoot.resolve("volumes/keep/_data");
            awaitEntry(data, n -> n.equals("f"), Duration.ofSeconds(10));
            String keeperId = d.docker("inspect", "-f", "{{.Id}}", "keeper").orFail().out();
            assertThat(mountsMentioning(keeperId)).isNotEmpty();

            // the reboot: berthd, conmon and the containers die, berth's mounts and the tmpfs exec root are gone
            long keeperPid = Long.parseLong(d.docker("inspect", "-f", "{{.State.Pid}}", "keeper").orFail().out());
            Path dataRoot = d.dataRoot;
            Path execRoot = d.execRoot;
            d.killHard();
            for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
                String cmd = p.info().commandLine().orElse("");
                if (cmd.contains("conmon") && (cmd.contains(dataRoot.toString()) || cmd.contains(execRoot.toString()))) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
            ProcessHandle.of(keeperPid).ifPresent(ProcessHandle::destroyForcibly);
            List<String> berthMounts = new ArrayList<>(mountPoints().stream()
                    .filter(m -> m.startsWith(dataRoot + "/") || m.startsWith(execRoot + "/")).toList());
            assertThat(berthMounts).isNotEmpty();
            java.util.Collections.reverse(berthMounts);
            for (String m : berthMounts) {
                Cmd.run(List.of("umount", "-l", m), Map.of(), null, Duration.ofSeconds(10)).orFail();
            }
            Cmd.run(List.of("rm", "-rf", execRoot.toString()), Map.of(), null, Duration.ofSeconds(30)).orFail();

            d = new BerthdProcess(d.root).start();
            assertThat(d.docker("volume", "ls", "-q").orFail().out()).isEqualTo("keep");
            assertThat(d.docker("ps", "-a", "--format", "{{.Names}} {{.State}}").orFail().out().lines().sorted().toList())
                    .containsExactly("done exited", "keeper exited");
            assertThat(d.docker("run", "--rm", "-v", "keep:/data", "busybox", "cat", "/data/f", "/data/g").orFail().out())
                    .isEqualTo("precious\nmore");
            // a container after the reboot starts again on its volume
            d.docker("start", "keeper").orFail();
            assertThat(d.docker("exec", "keeper", "cat", "/data/f").orFail().out()).isEqualTo("precious");

            // container removal, then an orderly restart: the named volume and its data stay
            d.docker("rm", "-f", "-v", "keeper", "done").orFail();
            d.close();
            d = new BerthdProcess(d.root).start();
            assertThat(d.docker("volume", "ls", "-q").orFail().out()).isEqualTo("keep");
            assertThat(d.docker("run", "--rm", "-v", "keep:/data", "busybox", "cat", "/data/f").orFail().out()).isEqualTo("precious");
        } finally {
            DaemonFixture.stop(d);
        }
    }

    /** Every listed volume is whole on disk and inspectable; every directory is listed; no temp entry is left. */
    private static void assertTruthful(BerthdProcess d, List<String> listed) throws Exception {
        Path volumes = d.dataRoot.resolve("volumes");
        assertThat(names(volumes)).containsExactlyInAnyOrderElementsOf(listed);
        for (String v : listed) {
            assertThat(names(volumes.resolve(v))).as(v).containsExactlyInAnyOrder("_data", "volume.json");
        }
        if (!listed.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("volume", "inspect", "-f", "{{.Name}}"));
            args.addAll(listed);
            assertThat(d.docker(args.toArray(String[]::new)).orFail().out().lines().toList()).containsExactlyElementsOf(listed);
        }
    }

    private static Process background(BerthdProcess d, Path out, String... dockerArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/local/bin/docker"));
        cmd.addAll(List.of(dockerArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("DOCKER_HOST", d.host());
        return pb.start();
    }

    /** Waits (polling every few ms) until {@code dir} has an entry whose name passes {@code test}. */
    private static boolean awaitEntry(Path dir, Predicate<String> test, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (hasEntry(dir, test)) return true;
            Thread.sleep(2);
        }
        return false;
    }

    private static boolean hasEntry(Path dir, Predicate<String> test) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> test.test(p.getFileName().toString()));
        } catch (java.io.IOException e) {
            return test.test("");
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static long countEntries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static List<String> mountPoints() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4]).toList();
    }

    private static List<String> mountsMentioning(String containerId) throws Exception {
        return mountPoints().stream().filter(m -> m.contains(containerId)).toList();
    }
}
