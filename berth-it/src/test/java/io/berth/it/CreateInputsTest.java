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

/**
 * What a create takes besides its body's plain fields, as the docker CLI and dockerd handle it: env names without a
 * value, the precedence of -e over --env-file and the image, --label-file, --cidfile and --platform; through the
 * docker CLI and the berth CLI against a real berthd.
 */
@Tag("privileged")
class CreateInputsTest {
    static BerthdProcess daemon;
    static Path scratch;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("create-inputs");
        scratch = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-create-inputs-");
        StaleTestState.claim(scratch); // else another checkout's test run takes it for a stale root and removes it
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
        if (scratch != null) Cmd.run(List.of("rm", "-rf", scratch.toString()), Map.of(), null, Duration.ofSeconds(30));
    }

    @Test
    void anEnvNameWithoutValueIsKeptInTheConfigAndUnsetInTheProcess() throws Exception {
        // the docker CLI sends "-e NAME" as it is when NAME is not in its own environment
        String env = daemon.docker("run", "--name", "bare-env", "-e", "BERTH_IT_NOT_SET", "-e", "A=1", "busybox", "env")
                .orFail().out();
        assertThat(env).contains("A=1").doesNotContain("BERTH_IT_NOT_SET");
        assertThat(daemon.docker("inspect", "-f", "{{json .Config.Env}}", "bare-env").orFail().out())
                .contains("\"BERTH_IT_NOT_SET\"", "\"A=1\"").endsWith(",\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"]");
        daemon.docker("rm", "bare-env").orFail();
        // a name without value unsets a default of that name, as Docker's daemon does
        Cmd.Result created = daemon.curl("-X", "POST", "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"busybox\",\"Cmd\":[\"env\"],\"Env\":[\"HOSTNAME\",\"B=2\"]}",
                "http://berthd/containers/create?name=unset-hostname");
        assertThat(created.out()).endsWith("201");
        daemon.docker("start", "-a", "unset-hostname").orFail();
        assertThat(daemon.docker("logs", "unset-hostname").orFail().out()).contains("B=2", "PATH=").doesNotContain("HOSTNAME=");
        daemon.docker("rm", "unset-hostname").orFail();
    }

    @Test
    void consoleSizeIsThePtysSizeWhenTheProcessStarts() throws Exception {
        // the docker CLI sends its terminal's size at create (run -t, API 1.42+); before the client's first resize
        // the process sees it, not 0 0
        Cmd.Result created = daemon.curl("-X", "POST", "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"busybox\",\"Tty\":true,\"Cmd\":[\"stty\",\"size\"],\"HostConfig\":{\"ConsoleSize\":[33,77]}}",
                "http://berthd/containers/create?name=console-size");
        assertThat(created.out()).endsWith("201");
        daemon.docker("start", "console-size").orFail();
        assertThat(daemon.docker("wait", "console-size").orFail().out()).isEqualTo("0");
        assertThat(daemon.docker("logs", "console-size").orFail().out()).isEqualTo("33 77");
        assertThat(daemon.docker("inspect", "-f", "{{json .HostConfig.ConsoleSize}}", "console-size").orFail().out()).isEqualTo("[33,77]");
        daemon.docker("rm", "console-size").orFail();
        // the berth CLI sends its terminal's size with run -t, as the docker CLI does
        assertThat(daemon.cliInPty(33, 77, "run", "-t", "--rm", "busybox", "stty", "size").orFail().stdout().strip()).isEqualTo("33 77");
        assertThat(daemon.curl("-X", "POST", "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"busybox\",\"Tty\":true,\"HostConfig\":{\"ConsoleSize\":[-1,80]}}",
                "http://berthd/containers/create").out()).contains("ConsoleSize").endsWith("400");
    }

    @Test
    void envFlagsWinOverEnvFilesAndTheImageInBothClis() throws Exception {
        Path file = scratch.resolve("vars.env");
        Files.writeString(file, "A=file\nB=file\n");
        String[] args = {"run", "--rm", "--env-file", file.toString(), "-e", "A=flag", "-e", "PATH=/bin:/usr/bin", "busybox",
                "sh", "-c", "echo $A $B $PATH"};
        assertThat(daemon.docker(args).orFail().out()).isEqualTo("flag file /bin:/usr/bin");
        assertThat(daemon.cli(args).orFail().out()).isEqualTo("flag file /bin:/usr/bin");
    }

    @Test
    void labelFilesComeFirstAndLabelFlagsWinAsInTheDockerCli() throws Exception {
        Path file = scratch.resolve("labels");
        Files.writeString(file, "# team labels\nl1=v1\nbare\nl2=file\n");
        daemon.cli("create", "--name", "berth-labels", "--label-file", file.toString(), "-l", "l2=flag", "busybox").orFail();
        daemon.docker("create", "--name", "docker-labels", "--label-file", file.toString(), "-l", "l2=flag", "busybox").orFail();
        String berth = daemon.docker("inspect", "-f", "{{json .Config.Labels}}", "berth-labels").orFail().out();
        assertThat(berth).isEqualTo("{\"l1\":\"v1\",\"l2\":\"flag\"}");
        assertThat(daemon.docker("inspect", "-f", "{{json .Config.Labels}}", "docker-labels").orFail().out()).isEqualTo(berth);
        daemon.docker("rm", "berth-labels", "docker-labels").orFail();

        Path bad = scratch.resolve("bad-labels");
        Files.writeString(bad, "bad key=1\n");
        Cmd.Result refused = daemon.cli("create", "--label-file", bad.toString(), "busybox");
        assertThat(refused.exitCode()).isEqualTo(125);
        assertThat(refused.stderr()).contains("variable 'bad key' contains whitespaces");
        assertThat(daemon.cli("create", "--label-file", scratch.resolve("missing").toString(), "busybox").stderr())
                .contains("missing");
    }

    @Test
    void theBerthCliWritesTheCidfileAsTheDockerCliDoes() throws Exception {
        Path cid = scratch.resolve("run.cid");
        String id = daemon.cli("run", "-d", "--cidfile", cid.toString(), "busybox", "sleep", "60").orFail().out();
        assertThat(Files.readString(cid)).isEqualTo(id);
        Cmd.Result again = daemon.cli("run", "-d", "--cidfile", cid.toString(), "busybox", "true");
        assertThat(again.exitCode()).isEqualTo(125);
        assertThat(again.stderr()).contains("container ID file found, make sure the other container isn't running or delete " + cid);
        daemon.cli("rm", "-f", id).orFail();
        // a create that fails leaves no file behind
        Path failed = scratch.resolve("failed.cid");
        assertThat(daemon.cli("create", "--pull", "never", "--cidfile", failed.toString(), "no-such-image:1").exitCode()).isEqualTo(125);
        assertThat(failed).doesNotExist();
        assertThat(daemon.cli("create", "--cidfile", scratch.resolve("no/dir/x.cid").toString(), "busybox").stderr())
                .contains("failed to create the container ID file");
    }

    @Test
    void aPlatformOtherThanTheImagesIsRefusedAndItsOwnAccepted() throws Exception {
        String arch = daemon.docker("image", "inspect", "-f", "{{.Architecture}}", "busybox").orFail().out();
        String foreign = arch.equals("s390x") ? "ppc64le" : "s390x";
        assertThat(daemon.docker("run", "--rm", "--platform", "linux/" + arch, "busybox", "echo", "native").orFail().out())
                .isEqualTo("native");
        assertThat(daemon.cli("run", "--rm", "--platform", "linux/" + arch, "busybox", "echo", "native").orFail().out())
                .isEqualTo("native");
        String message = "image with reference busybox was found but does not match the specified platform: wanted linux/"
                + foreign + ", actual: linux/" + arch;
        Cmd.Result docker = daemon.docker("create", "--pull", "never", "--platform", "linux/" + foreign, "busybox");
        assertThat(docker.exitCode()).isNotZero();
        assertThat(docker.stderr()).contains(message);
        Cmd.Result berth = daemon.cli("create", "--pull", "never", "--platform", "linux/" + foreign, "busybox");
        assertThat(berth.exitCode()).isEqualTo(125);
        assertThat(berth.stderr()).contains(message);
        assertThat(daemon.curl("-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"Image\":\"busybox\"}",
                "http://berthd/containers/create?platform=linux/a/b/c").out()).contains("invalid platform").endsWith("400");
        assertThat(daemon.docker("ps", "-aq", "--filter", "ancestor=busybox").orFail().out()).isEmpty();
    }
}
