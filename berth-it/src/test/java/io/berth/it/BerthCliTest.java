package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth's own CLI against berthd: flags, formats, filters, exit codes, events, runtimes. */
@Tag("privileged")
class BerthCliTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("cli");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void exitCodesAsDockers() throws Exception {
        assertThat(daemon.cli("run", "--rm", "busybox", "sh", "-c", "exit 9").exitCode()).isEqualTo(9);
        assertThat(daemon.cli("run", "--rm", "busybox", "no-such-binary").exitCode()).isEqualTo(127);
        assertThat(daemon.cli("run", "--rm", "busybox", "/etc/passwd").exitCode()).isEqualTo(126);
        Cmd.Result missing = daemon.cli("run", "--rm", "missing-image:0");
        assertThat(missing.exitCode()).isEqualTo(125);
        assertThat(missing.stderr()).contains("Error response from daemon");
    }

    @Test
    void interactiveTtyRunThroughAPty() throws Exception {
        // On a real pty the CLI must see a terminal on stdin (else "the input device is not a TTY"), give the
        // container one, and pass its exit status through.
        Cmd.Result run = daemon.cliInPty("run", "--rm", "-it", "busybox", "sh", "-c", "tty; exit 5");
        assertThat(run.stdout()).contains("/dev/pts/");
        assertThat(run.exitCode()).isEqualTo(5);
        // without a pty the same command is refused as docker refuses it
        assertThat(daemon.cli("run", "--rm", "-it", "busybox", "true").stderr()).contains("the input device is not a TTY");
    }

    @Test
    void envFileStopTimeoutAndRuntimeSelection(@TempDir Path tmp) throws Exception {
        Path envFile = tmp.resolve("env");
        Files.writeString(envFile, "# comment\nFROM_FILE=yes\n");
        assertThat(daemon.cli("run", "--rm", "--env-file", envFile.toString(), "busybox", "sh", "-c", "echo $FROM_FILE").orFail().out())
                .isEqualTo("yes");
        daemon.cli("create", "--name", "on-runc", "--runtime", "runc", "--stop-timeout", "3", "busybox", "echo", "via-runc").orFail();
        assertThat(daemon.cli("inspect", "-f", "{{.HostConfig.Runtime}} {{.Config.StopTimeout}}", "on-runc").orFail().out()).isEqualTo("runc 3");
        daemon.cli("start", "-a", "on-runc").orFail();
        assertThat(daemon.cli("logs", "on-runc").orFail().out()).isEqualTo("via-runc");
        daemon.cli("rm", "on-runc").orFail();
    }

    @Test
    void psFiltersAndFormats() throws Exception {
        daemon.cli("run", "-d", "--name", "ps-a", "-l", "team=blue", "busybox", "sleep", "60").orFail();
        daemon.cli("run", "--name", "ps-b", "busybox", "sh", "-c", "exit 2");
        assertThat(daemon.cli("ps", "--format", "{{.Names}}").orFail().out()).contains("ps-a").doesNotContain("ps-b");
        assertThat(daemon.cli("ps", "-a", "--filter", "exited=2", "--format", "{{.Names}}").orFail().out()).isEqualTo("ps-b");
        assertThat(daemon.cli("ps", "--filter", "label=team=blue", "-q").orFail().out()).hasSize(12);
        assertThat(daemon.cli("ps", "--filter", "name=ps-a", "--format", "{{json .}}").orFail().out()).startsWith("{").contains("\"Names\":\"ps-a\"");
        assertThat(daemon.cli("ps", "-a", "--no-trunc", "-q", "--filter", "name=ps-b").orFail().out()).hasSize(64);
        daemon.cli("rm", "-f", "ps-a", "ps-b").orFail();
    }

    @Test
    void eventsAndSystemDf() throws Exception {
        long since = Instant.now().getEpochSecond() - 1;
        daemon.cli("run", "--rm", "--name", "evented", "busybox", "true").orFail();
        String events = daemon.cli("events", "--since", Long.toString(since), "--until", Long.toString(Instant.now().getEpochSecond() + 1),
                "--format", "{{.Type}} {{.Action}}").orFail().out();
        assertThat(events).contains("container create").contains("container start").contains("container die").contains("container destroy");
        assertThat(daemon.cli("system", "df").orFail().out()).contains("Images").contains("Containers");
    }

    @Test
    void restartAlwaysBringsItBackAndStopEndsIt() throws Exception {
        daemon.cli("run", "-d", "--name", "always", "--restart", "always", "busybox", "sh", "-c", "sleep 0.3; exit 3").orFail();
        for (int i = 0; i < 100; i++) {
            if (Integer.parseInt(daemon.cli("inspect", "-f", "{{.RestartCount}}", "always").orFail().out()) >= 2) break;
            Thread.sleep(200);
        }
        assertThat(Integer.parseInt(daemon.cli("inspect", "-f", "{{.RestartCount}}", "always").orFail().out())).isGreaterThanOrEqualTo(2);
        daemon.cli("stop", "always").orFail();
        Thread.sleep(1000);
        assertThat(daemon.cli("inspect", "-f", "{{.State.Status}}", "always").orFail().out()).isEqualTo("exited");
        daemon.cli("rm", "always").orFail();
    }

    @Test
    void logsFollowEndsWhenTheContainerExits() throws Exception {
        daemon.cli("run", "-d", "--name", "follow", "busybox", "sh", "-c", "echo one; sleep 1; echo two").orFail();
        Cmd.Result r = daemon.cli("logs", "-f", "follow").orFail();
        assertThat(r.out()).isEqualTo("one\ntwo");
        daemon.cli("rm", "follow").orFail();
    }

    @Test
    void copySaveLoadAndImportThroughBerth(@TempDir Path tmp) throws Exception {
        daemon.cli("run", "-d", "--name", "bcp", "busybox", "sleep", "60").orFail();
        Path in = tmp.resolve("in.txt");
        Files.writeString(in, "berth cp in\n");
        daemon.cli("cp", in.toString(), "bcp:/tmp/").orFail();
        assertThat(daemon.cli("exec", "bcp", "cat", "/tmp/in.txt").orFail().out()).isEqualTo("berth cp in");
        daemon.cli("cp", "bcp:/etc/passwd", tmp.resolve("passwd").toString()).orFail();
        assertThat(Files.readString(tmp.resolve("passwd"))).startsWith("root:");
        daemon.cli("rm", "-f", "bcp").orFail();

        Path archive = tmp.resolve("img.tar");
        daemon.cli("tag", "busybox", "roundtrip:1").orFail();
        daemon.cli("save", "-o", archive.toString(), "roundtrip:1").orFail();
        String id = daemon.cli("image", "inspect", "-f", "{{.Id}}", "roundtrip:1").orFail().out();
        daemon.cli("rmi", "roundtrip:1").orFail();
        assertThat(daemon.cli("load", "-i", archive.toString()).orFail().out()).contains("Loaded image: roundtrip:1");
        assertThat(daemon.cli("image", "inspect", "-f", "{{.Id}}", "roundtrip:1").orFail().out()).isEqualTo(id);
        assertThat(daemon.cli("history", "-q", "roundtrip:1").orFail().out()).isNotEmpty();
        daemon.cli("rmi", "roundtrip:1").orFail();
    }

    @Test
    void rmiForceKeepsLayersOfStoppedContainers(@TempDir Path tmp) throws Exception {
        Path rootfs = tmp.resolve("rootfs.tar");
        Cmd.run(java.util.List.of("tar", "-cf", rootfs.toString(), "-C", "/", "bin/busybox"), java.util.Map.of(), null,
                java.time.Duration.ofSeconds(30)).orFail();
        daemon.cli("import", "-c", "ENTRYPOINT [\"/bin/busybox\"]", rootfs.toString(), "forced:1").orFail();
        daemon.cli("run", "--name", "uses-forced", "forced:1", "true").orFail();
        assertThat(daemon.cli("rmi", "forced:1").exitCode()).isNotZero();
        daemon.cli("rmi", "-f", "forced:1").orFail();
        // the container's image layers are still there: it starts again
        daemon.cli("start", "-a", "uses-forced").orFail();
        daemon.cli("rm", "uses-forced").orFail();
    }
}
