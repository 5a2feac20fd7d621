package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * berthd on a data root that is full (a small ext4 image, filled to the last block): what a user does to get out
 * of it still works — kill, stop, exec, rm -f — with the containers' real exit codes, and a create that fails
 * leaves no container directory behind.
 */
@Tag("privileged")
class FullDiskTest {

    @Test
    void containersCanStillBeKilledStoppedExecedAndRemovedWithTheirExitCodes() throws Exception {
        StaleTestState.clearOnce();
        Path root = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-fulldisk-");
        Path image = root.resolve("disk.img");
        Path data = root.resolve("data");
        sh("truncate -s 96M " + image + " && mkfs.ext4 -q -F " + image + " && mkdir " + data + " && mount -o loop " + image + " " + data);
        BerthdProcess daemon = null;
        try {
            daemon = new BerthdProcess(root).start();
            daemon.cli("image", "make-busybox", "busybox:latest").orFail();
            for (String name : List.of("killed", "stopped", "execd", "removed")) {
                daemon.cli("run", "-d", "--name", name, "busybox", "sleep", "300").orFail();
            }
            sh("dd if=/dev/zero of=" + data + "/filler bs=1M 2>/dev/null; sync; true");
            assertThat(sh("df --output=avail -B1 " + data + " | tail -1").trim()).isEqualTo("0");

            daemon.cli("kill", "killed").orFail();
            assertThat(daemon.cli("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "killed").orFail().out())
                    .isEqualTo("exited 137");
            daemon.cli("stop", "-t", "1", "stopped").orFail();
            assertThat(daemon.cli("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "stopped").orFail().out())
                    .isEqualTo("exited 137");
            assertThat(daemon.cli("exec", "execd", "sh", "-c", "echo from-exec; exit 3").out()).isEqualTo("from-exec");
            assertThat(daemon.cli("exec", "execd", "rm", "/bin/true").exitCode()).isZero();
            daemon.cli("rm", "-f", "removed").orFail();
            assertThat(daemon.cli("ps", "-a", "--format", "{{.Names}}").orFail().out()).doesNotContain("removed");

            sh("dd if=/dev/zero of=" + data + "/filler2 bs=4k 2>/dev/null; sync; true"); // what rm -f freed
            List<Path> before = containerDirs(daemon);
            assertThat(daemon.cli("create", "busybox", "true").exitCode()).isNotZero();
            assertThat(containerDirs(daemon)).as("a failed create leaves no directory").isEqualTo(before);
        } finally {
            if (daemon != null) {
                BerthdProcess d = daemon;
                Files.deleteIfExists(data.resolve("filler"));
                Files.deleteIfExists(data.resolve("filler2"));
                DaemonFixture.stop(d);
            }
            sh("umount -l " + data + "; rm -rf " + root);
        }
    }

    private static List<Path> containerDirs(BerthdProcess daemon) throws Exception {
        try (Stream<Path> dirs = Files.list(daemon.dataRoot.resolve("containers"))) {
            return dirs.sorted().toList();
        }
    }

    private static String sh(String script) throws Exception {
        return Cmd.run(List.of("sh", "-c", script), Map.of(), null, Duration.ofSeconds(120)).orFail().out();
    }
}
