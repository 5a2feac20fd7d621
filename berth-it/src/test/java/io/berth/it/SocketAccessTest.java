package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Who may use berthd's socket, tried as real unprivileged users: a member of the {@code --group} group drives the
 * daemon with the berth and docker CLIs; anyone else is told "permission denied", not that the daemon is down.
 */
@Tag("privileged")
class SocketAccessTest {
    private static final String GROUP = "berth-it-sock";
    private static final String MEMBER = "berth-it-member";
    private static final String STRANGER = "berth-it-stranger";
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    static Path scratch;
    static BerthdProcess daemon;
    /** The CLI's classpath, copied where an unprivileged user can read it (the Maven cache is root's). */
    static String readableClasspath;

    @BeforeAll
    static void up() throws Exception {
        ensure(List.of("getent", "group", GROUP), List.of("groupadd", "--system", GROUP));
        for (String user : List.of(MEMBER, STRANGER)) {
            ensure(List.of("id", user), List.of("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                    "--shell", "/usr/sbin/nologin", user));
        }
        sh("usermod", "-aG", GROUP, MEMBER);
        sh("gpasswd", "-d", STRANGER, GROUP);   // in case an earlier run left it there; fails harmlessly otherwise

        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-socket-");
        sh("chmod", "0755", scratch.toString());
        readableClasspath = copyClasspath(scratch.resolve("cp"));
        Path root = Files.createDirectory(scratch.resolve("daemon"));
        sh("chmod", "0711", root.toString());   // others may reach the socket, not list the directory
        daemon = new BerthdProcess(root).withArgs("--group", GROUP).start();
    }

    @AfterAll
    static void down() throws Exception {
        if (daemon != null) daemon.close();
        if (scratch != null) Cmd.run(List.of("rm", "-rf", scratch.toString()), Map.of(), null, Duration.ofSeconds(30));
    }

    private static void ensure(List<String> check, List<String> create) throws Exception {
        if (Cmd.run(check, Map.of(), null, Duration.ofSeconds(10)).exitCode() != 0) {
            Cmd.run(create, Map.of(), null, Duration.ofSeconds(30)).orFail();
        }
    }

    private static Cmd.Result sh(String... cmd) throws Exception {
        return Cmd.run(List.of(cmd), Map.of(), null, Duration.ofSeconds(30));
    }

    private static String copyClasspath(Path dir) throws Exception {
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(":")) {
            Path p = Path.of(e);
            if (!Files.exists(p)) continue;
            Path target = dir.resolve((i++) + "-" + p.getFileName());
            if (Files.isDirectory(p)) {
                Cmd.run(List.of("cp", "-r", p.toString(), target.toString()), Map.of(), null, Duration.ofSeconds(60)).orFail();
            } else {
                Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
            entries.add(target.toString());
        }
        sh("chmod", "-R", "a+rX", dir.toString());
        return String.join(":", entries);
    }

    /** A command as {@code user} with the user's own groups (setpriv, as login would set them). */
    private static Cmd.Result as(String user, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid", user, "--regid", user, "--init-groups"));
        full.addAll(List.of(cmd));
        return Cmd.run(full, Map.of("HOME", "/nonexistent", "BERTH_HOST", daemon.host(), "DOCKER_HOST", daemon.host()),
                null, Duration.ofSeconds(120));
    }

    private static Cmd.Result berthAs(String user, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", readableClasspath, "io.berth.cli.Main"));
        cmd.addAll(List.of(args));
        return as(user, cmd.toArray(String[]::new));
    }

    @Test
    void theSocketBelongsToTheGroupWithMode0660() throws Exception {
        assertThat(sh("stat", "-c", "%a %U:%G", daemon.socket.toString()).orFail().out()).isEqualTo("660 root:" + GROUP);
    }

    @Test
    void aMemberOfTheGroupDrivesTheDaemon() throws Exception {
        assertThat(berthAs(MEMBER, "version", "--format", "{{.Server.Os}}").orFail().out()).isEqualTo("linux");
        assertThat(as(MEMBER, "/usr/local/bin/docker", "version", "--format", "{{.Server.Os}}").orFail().out()).isEqualTo("linux");
    }

    @Test
    void anyoneElseIsToldPermissionDenied() throws Exception {
        Cmd.Result r = berthAs(STRANGER, "version");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("permission denied while trying to connect to the berth daemon socket at "
                + daemon.host() + ": connect: Permission denied").doesNotContain("Is the daemon running?");
    }

    @Test
    void aGroupThatDoesNotExistIsRefusedAtStart() throws Exception {
        Path root = Files.createDirectory(scratch.resolve("nogroup"));
        BerthdProcess other = new BerthdProcess(root).withArgs("--group", "berth-it-no-such-group");
        try {
            assertThat(other.startExpectingExit()).isEqualTo(1);
        } finally {
            other.close();
        }
        assertThat(Files.readString(other.log)).contains("berthd: group berth-it-no-such-group for the socket")
                .contains("does not exist");
        assertThat(Files.exists(other.socket)).isFalse();
    }
}
