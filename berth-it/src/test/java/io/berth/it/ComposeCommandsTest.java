package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth compose's container commands against a real berthd: exec with a TTY (through a real pty) and without,
 * attach, cp, stats, wait, scale, watch refused by name, and depends_on's {@code restart: true}.
 */
@Tag("privileged")
class ComposeCommandsTest {
    static BerthdProcess daemon;

    @TempDir
    Path dir;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("compose-cmds");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private List<String> command(String... args) {
        return BerthdProcess.composeCommand(dir.resolve("compose.yaml"), args);
    }

    private Cmd.Result compose(Map<String, String> env, String... args) throws Exception {
        return daemon.compose(dir.resolve("compose.yaml"), env, args);
    }

    private Cmd.Result compose(String... args) throws Exception {
        return compose(Map.of(), args);
    }

    /** The command on a real pty, as a terminal runs it ({@code script} gives one). */
    private Cmd.Result composeInPty(String... args) throws Exception {
        return composeInPty((byte[]) null, "", args);
    }

    /** As {@link #composeInPty(String...)}, after {@code setup} (shell words, e.g. an stty) on that pty, typing {@code typed}. */
    private Cmd.Result composeInPty(byte[] typed, String setup, String... args) throws Exception {
        String line = setup + " exec " + command(args).stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        return Cmd.run(List.of("script", "-qec", line, "/dev/null"), Map.of("BERTH_HOST", daemon.host()), typed, Duration.ofSeconds(120));
    }

    private String startedAt(String container) throws Exception {
        return daemon.cli("inspect", "-f", "{{.State.StartedAt}}", container).orFail().out();
    }

    @Test
    void execGivesATtyOnATerminalAndNoneWithDashT() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: ttyp
                services:
                  web: {image: busybox, network_mode: none, stop_grace_period: 1s, command: [sleep, "1000"]}
                """);
        compose("up", "-d").orFail();
        Cmd.Result tty = composeInPty("exec", "web", "sh", "-c", "tty; exit 5");
        assertThat(tty.stdout()).as(tty.stderr()).contains("/dev/pts/");
        assertThat(tty.exitCode()).isEqualTo(5);
        assertThat(composeInPty("exec", "-T", "web", "tty").stdout()).contains("not a tty");
        // without a terminal there is no TTY to give: as -T, with stdin still forwarded
        Cmd.Result plain = compose("exec", "web", "sh", "-c", "tty; exit 2");
        assertThat(plain.stdout()).contains("not a tty");
        assertThat(plain.exitCode()).isEqualTo(2);
        compose("down", "-t", "0").orFail();
    }

    @Test
    void runGivesATtyOnATerminalAndNoneWithDashT() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: runtty
                services:
                  web: {image: busybox, network_mode: none}
                """);
        // on a terminal (of 33 rows, 77 columns): a TTY that takes the terminal's size, the exit status passed through.
        // The size is sent once the container has started (as docker start -a, which Compose runs), so the process may
        // see 0 0 for its first moments: it polls.
        String sizeSeen = "tty; for i in $(seq 50); do s=$(stty size 2>/dev/null); [ \"$s\" = \"33 77\" ] && break; sleep 0.1; done;"
                + " echo size:$s; exit 5";
        Cmd.Result tty = composeInPty((byte[]) null, "stty rows 33 cols 77;", "run", "--rm", "web", "sh", "-c", sizeSeen);
        assertThat(tty.stdout()).as(tty.stderr()).contains("/dev/pts/", "size:33 77");
        assertThat(tty.exitCode()).isEqualTo(5);
        // and stdin is the terminal's, in raw mode: what is typed reaches the process, which answers on the TTY
        Cmd.Result typed = composeInPty("typed in\n".getBytes(), "", "run", "--rm", "web", "sh", "-c", "read line; echo got:$line; exit 6");
        assertThat(typed.stdout()).as(typed.stderr()).contains("got:typed in");
        assertThat(typed.exitCode()).isEqualTo(6);
        // -T: no TTY on the same terminal
        Cmd.Result noTty = composeInPty("run", "--rm", "-T", "web", "sh", "-c", "tty; exit 4");
        assertThat(noTty.stdout()).as(noTty.stderr()).contains("not a tty");
        assertThat(noTty.exitCode()).isEqualTo(4);
        // without a terminal: no TTY, stdin still forwarded (-i is the default), then closed
        Cmd.Result piped = Cmd.run(command("run", "--rm", "web", "sh", "-c", "tty; cat; exit 3"), Map.of("BERTH_HOST", daemon.host()),
                "from the pipe\n".getBytes(), Duration.ofSeconds(120));
        assertThat(piped.stdout()).as(piped.stderr()).contains("not a tty", "from the pipe");
        assertThat(piped.exitCode()).isEqualTo(3);
        // -d: no TTY wanted, the name printed, the container running on its own
        Cmd.Result detached = compose("run", "-d", "--name", "runtty-bg", "web", "sleep", "1000");
        assertThat(detached.out()).as(detached.stderr()).isEqualTo("runtty-bg");
        assertThat(daemon.cli("inspect", "-f", "{{.State.Running}} {{.Config.Tty}}", "runtty-bg").orFail().out()).isEqualTo("true false");
        assertThat(daemon.cli("ps", "-aq", "--filter", "label=com.docker.compose.oneoff=True").orFail().out().lines()).hasSize(1);
        compose("down", "-t", "0", "--remove-orphans").orFail();
    }

    @Test
    void onATerminalTheProgressIsComposesLiveBlock() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: live
                services:
                  a: {image: busybox, network_mode: none, stop_grace_period: 1s, command: [sleep, "1000"]}
                  b: {image: busybox, network_mode: none, stop_grace_period: 1s, command: [sleep, "1000"]}
                """);
        try {
            // stderr is the pty: one redrawn line per object under "[+] Running k/n", cursor moved back up between frames
            Cmd.Result up = composeInPty("up", "-d");
            assertThat(up.exitCode()).as(up.stdout()).isZero();
            assertThat(up.stdout()).contains("[+] Running 2/2", "\u2714\033[0m Container live-a-1", "Container live-b-1", "Started", "\033[3F");
            assertThat(up.stdout()).doesNotContain(" Container live-a-1  Started\n");
        } finally {
            compose("down", "-t", "0").orFail();
        }
    }

    @Test
    void cpStatsScaleWaitAttachAndWatchRefused() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: cmds
                services:
                  web: {image: busybox, network_mode: none, stop_grace_period: 1s, command: [sleep, "1000"]}
                  job: {image: busybox, network_mode: none, command: [sh, -c, "sleep 2; exit 3"]}
                  talker:
                    image: busybox
                    network_mode: none
                    command: [sh, -c, "for i in 1 2 3 4 5 6 7 8; do echo tick $$i; sleep 1; done"]
                """);
        compose("up", "-d", "web", "job").orFail();

        // wait: every container of the services until it stops; the exit status is theirs
        Cmd.Result waited = compose("wait", "job");
        assertThat(waited.stdout()).contains("exited with status code 3");
        assertThat(waited.exitCode()).isEqualTo(3);

        // scale: replicas created and removed as by up --scale
        compose("scale", "web=2").orFail();
        assertThat(compose("ps", "--format", "json").orFail().stdout()).contains("cmds-web-1", "cmds-web-2");
        compose("scale", "web=1").orFail();
        assertThat(compose("ps", "-a").orFail().stdout()).contains("cmds-web-1").doesNotContain("cmds-web-2");

        // cp both ways through the CLI's cp
        Files.writeString(dir.resolve("note.txt"), "copied in\n");
        compose("cp", dir.resolve("note.txt").toString(), "web:/tmp/note.txt").orFail();
        assertThat(compose("exec", "-T", "web", "cat", "/tmp/note.txt").orFail().stdout()).isEqualTo("copied in\n");
        compose("cp", "web:/tmp/note.txt", dir.resolve("back.txt").toString()).orFail();
        assertThat(Files.readString(dir.resolve("back.txt"))).isEqualTo("copied in\n");

        // stats of the project's running containers only
        Cmd.Result stats = compose("stats", "--no-stream").orFail();
        assertThat(stats.stdout()).contains("cmds-web-1").doesNotContain("cmds-job-1");

        // attach: the running container's output until it exits
        compose("up", "-d", "talker").orFail();
        Cmd.Result attached = compose("attach", "--no-stdin", "talker");
        assertThat(attached.exitCode()).as(attached.stderr()).isZero();
        assertThat(attached.stdout()).contains("tick 8");

        Cmd.Result watch = compose("watch");
        assertThat(watch.exitCode()).isEqualTo(1);
        assertThat(watch.stderr()).contains("watch is not supported by berth compose").contains("develop.watch");
        compose("down", "-t", "0").orFail();
    }

    @Test
    void dependsOnRestartTrueRestartsTheDependentWithItsDependency() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: rst
                services:
                  db:
                    image: busybox
                    network_mode: none
                    stop_grace_period: 1s
                    command: [sleep, "1000"]
                    environment: {V: "${V:-1}"}
                  api:
                    image: busybox
                    network_mode: none
                    stop_grace_period: 1s
                    command: [sleep, "1000"]
                    depends_on: {db: {condition: service_started, restart: true}}
                  web:
                    image: busybox
                    network_mode: none
                    stop_grace_period: 1s
                    command: [sleep, "1000"]
                    depends_on: [db]
                """);
        compose("up", "-d").orFail();
        String api = startedAt("rst-api-1");
        String web = startedAt("rst-web-1");
        String apiId = daemon.cli("inspect", "-f", "{{.Id}}", "rst-api-1").orFail().out();

        // restart db: api (restart: true) restarts after it, web does not
        Thread.sleep(1100);
        Cmd.Result restart = compose("restart", "db").orFail();
        assertThat(restart.stderr()).contains("rst-db-1", "rst-api-1").doesNotContain("rst-web-1");
        assertThat(startedAt("rst-api-1")).isNotEqualTo(api);
        assertThat(startedAt("rst-web-1")).isEqualTo(web);

        // db recreated by up (its config changed), even when up names db alone: api is restarted, not recreated
        api = startedAt("rst-api-1");
        Thread.sleep(1100);
        Cmd.Result recreate = compose(Map.of("V", "2"), "up", "-d", "db").orFail();
        assertThat(recreate.stderr()).contains("Container rst-db-1  Recreated", "Container rst-api-1  Stopped", "Container rst-api-1  Started");
        assertThat(daemon.cli("inspect", "-f", "{{.State.Running}} {{.Id}}", "rst-api-1").orFail().out()).isEqualTo("true " + apiId);
        assertThat(startedAt("rst-api-1")).isNotEqualTo(api);
        assertThat(startedAt("rst-web-1")).isEqualTo(web);
        compose("down", "-t", "0").orFail();
    }
}
