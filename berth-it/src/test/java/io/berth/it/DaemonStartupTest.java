package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What berthd refuses at start, and what it reports about the machine, with real daemon processes. */
@Tag("privileged")
class DaemonStartupTest {
    static BerthdProcess daemon;
    static Path scratch;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("startup");
        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-startup-scratch-");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
        if (scratch != null) Cmd.run(List.of("rm", "-rf", scratch.toString()), Map.of(), null, Duration.ofSeconds(30));
    }

    @Test
    void aSecondDaemonOnTheSameDataRootIsRefusedAndTheFirstKeepsServing() throws Exception {
        // The lock is an fcntl lock (the JDK's FileLock), which the process loses if it closes any descriptor of the
        // file: after requests that read the data root, berthd still has the one descriptor it locked, and the lock.
        daemon.docker("run", "--rm", "--network", "none", "busybox", "true").orFail();
        for (String[] request : List.of(new String[] {"info"}, new String[] {"system", "df", "-v"},
                new String[] {"ps", "-a"}, new String[] {"image", "prune", "-f"}, new String[] {"volume", "ls"})) {
            daemon.docker(request).orFail();
        }
        Path lockFile = daemon.dataRoot.resolve("berthd.lock");
        List<Path> descriptors = new java.util.ArrayList<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(daemon.pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(lockFile)) descriptors.add(fd);
                } catch (java.io.IOException gone) {
                    // a descriptor closed while listed
                }
            }
        }
        assertThat(descriptors).as("berthd's descriptors of " + lockFile).hasSize(1);
        // /proc/locks: "N: POSIX  ADVISORY  WRITE PID MAJ:MIN:INODE 0 EOF"
        long inode = (Long) Files.getAttribute(lockFile, "unix:ino");
        assertThat(Files.readAllLines(Path.of("/proc/locks"))).as("berthd's lock on " + lockFile)
                .anyMatch(l -> l.matches("\\d+: POSIX +ADVISORY +WRITE " + daemon.pid() + " [0-9a-f]+:[0-9a-f]+:" + inode + " .*"));

        Path root = Files.createDirectory(scratch.resolve("second"));
        BerthdProcess second = new BerthdProcess(root, daemon.dataRoot);
        try {
            assertThat(second.startExpectingExit()).isEqualTo(1);
        } finally {
            second.close();
        }
        assertThat(Files.readString(second.log)).contains("berthd: data root " + daemon.dataRoot
                + " is in use by another berthd (pid " + daemon.pid() + ")");
        assertThat(Files.exists(second.socket)).isFalse();
        daemon.cli("tag", "busybox", "still:mine").orFail();
        assertThat(daemon.cli("images", "--format", "{{.Repository}}:{{.Tag}}").orFail().out()).contains("still:mine");
    }

    @Test
    void anArchitectureWhoseLayoutsBerthDoesNotKnowIsRefused() throws Exception {
        BerthdProcess odd = new BerthdProcess(Files.createDirectory(scratch.resolve("riscv"))).withJvmOption("-Dos.arch=riscv64");
        try {
            assertThat(odd.startExpectingExit()).isEqualTo(1);
        } finally {
            odd.close();
        }
        assertThat(Files.readString(odd.log)).contains("berthd: unsupported architecture riscv64");
    }

    @Test
    void versionReportsTheMachinesArchitectureInGoNames() throws Exception {
        String machine = Cmd.run(List.of("uname", "-m"), Map.of(), null, Duration.ofSeconds(10)).orFail().out().trim();
        String expected = switch (machine) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> machine;
        };
        assertThat(daemon.docker("version", "--format", "{{.Server.Arch}}").orFail().out()).isEqualTo(expected);
        assertThat(daemon.docker("info", "--format", "{{.Architecture}}").orFail().out()).isEqualTo(machine);
    }
}
