package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import io.berth.cli.command.ListAndLifecycleProbe;

/**
 * The commands whose picocli model is built in code ({@link CommandModel}): their help, their errors and
 * their parsing are what the annotated commands printed (src/test/resources/help, captured from the
 * annotated build), and a call through them makes the JVM generate no annotation proxy.
 */
class CommandModelTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--help | root.txt",
        "-v | version.txt",
        "ps --help | ps.txt",
        "exec --help | exec.txt",
        "run --help | run.txt",
        "create --help | create.txt",
        "logs --help | logs.txt",
        "inspect --help | inspect.txt",
        "container inspect --help | container-inspect.txt",
        "images --help | images.txt",
        "rm --help | rm.txt",
        "container ls --help | container-ls.txt",
        "container exec --help | container-exec.txt",
        "volume ls --help | volume-ls.txt",
        "network ls --help | network-ls.txt",
        "start --help | start.txt",
        "stop --help | stop.txt",
        "container stop --help | container-stop.txt",
        "kill --help | kill.txt",
        "wait --help | wait.txt",
        "restart --help | restart.txt",
        "pause --help | pause.txt",
        "unpause --help | unpause.txt",
        "rename --help | rename.txt",
        "tag --help | tag.txt",
        "rmi --help | rmi.txt",
        "image rm --help | image-rm.txt",
    })
    void helpIsTheAnnotatedCommandsHelp(String args, String golden) throws IOException {
        assertThat(call(args.split(" ")).out).isEqualTo(golden(golden));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "exec | exec-no-args.txt",
        "exec cc | exec-no-command.txt",
        "ps --bogus | ps-unknown-option.txt",
        "ps -n x | ps-bad-int.txt",
        "run | run-no-image.txt",
        "run --health-retries x busybox | run-bad-int.txt",
        "run --health-interval 5x busybox | run-bad-duration.txt",
        "images a b | images-too-many.txt",
        "rm | rm-no-args.txt",
        "logs | logs-no-args.txt",
        "stop | stop-no-args.txt",
        "stop -t x c | stop-bad-int.txt",
        "kill | kill-no-args.txt",
        "kill c -s | kill-missing-value.txt",
        "wait | wait-no-args.txt",
        "start --bogus c | start-unknown-option.txt",
        "volume ls x | volume-ls-too-many.txt",
        "network ls --bogus | network-ls-unknown-option.txt",
        "rename a | rename-one-arg.txt",
        "rename a b c | rename-too-many.txt",
        "tag a | tag-one-arg.txt",
        "rmi | rmi-no-args.txt",
        "restart -t x c | restart-bad-int.txt",
        "pause | pause-no-args.txt",
    })
    void errorsAreTheAnnotatedCommandsErrors(String args, String golden) throws IOException {
        Result r = call(args.split(" "));
        assertThat(r.out + r.err + "status " + r.status + "\n").isEqualTo(golden(golden));
    }

    @Test
    void aGroupWithoutASubcommandPrintsItsUsage() throws IOException {
        assertThat(call("container").out).isEqualTo(golden("container.txt"));
    }

    @Test
    void optionsReachTheFields() {
        var ps = new io.berth.cli.command.PsCommandProbe();
        assertThat(ps.parse("-a", "-f", "name=x", "--filter", "status=created", "-n", "3", "--format", "{{.ID}}"))
                .isEqualTo("all=true quiet=false last=3 format={{.ID}} filters=[name=x, status=created]");
        assertThat(ps.parse()).isEqualTo("all=false quiet=false last=-1 format=null filters=[]");
        assertThat(io.berth.cli.command.PsCommandProbe.exec("-e", "A=1", "-e", "B=2", "-w", "/w", "-it", "c", "sh", "-c", "x"))
                .isEqualTo("env=[A=1, B=2] workdir=/w i=true t=true container=c command=[sh, -c, x]");
    }

    /** What the annotated commands now built in code gave their fields for the same arguments. */
    @Test
    void listAndLifecycleOptionsReachTheFields() {
        assertThat(ListAndLifecycleProbe.volumeLs("-q", "-f", "dangling=true", "--filter", "name=a", "--format", "{{.Name}}"))
                .isEqualTo("quiet=true filters=[dangling=true, name=a] format={{.Name}}");
        assertThat(ListAndLifecycleProbe.volumeLs()).isEqualTo("quiet=false filters=[] format=null");
        assertThat(ListAndLifecycleProbe.networkLs("--no-trunc", "-qf", "driver=bridge"))
                .isEqualTo("quiet=true filters=[driver=bridge] format=null noTrunc=true");
        assertThat(ListAndLifecycleProbe.networkLs()).isEqualTo("quiet=false filters=[] format=null noTrunc=false");
        assertThat(ListAndLifecycleProbe.start("-ai", "--detach-keys", "ctrl-x", "a", "b"))
                .isEqualTo("attach=true interactive=true detachKeys=ctrl-x containers=[a, b]");
        assertThat(ListAndLifecycleProbe.start("a")).isEqualTo("attach=false interactive=false detachKeys=null containers=[a]");
        assertThat(ListAndLifecycleProbe.stop("--timeout", "0", "-s", "KILL", "a")).isEqualTo("time=0 signal=KILL containers=[a]");
        assertThat(ListAndLifecycleProbe.stop("-t=3", "a", "b")).isEqualTo("time=3 signal=null containers=[a, b]");
        assertThat(ListAndLifecycleProbe.stop("--time", "5", "a")).isEqualTo("time=5 signal=null containers=[a]");
        assertThat(ListAndLifecycleProbe.stop("a")).isEqualTo("time=null signal=null containers=[a]");
        assertThat(ListAndLifecycleProbe.kill("--signal=HUP", "a")).isEqualTo("signal=HUP containers=[a]");
        assertThat(ListAndLifecycleProbe.kill("a", "b")).isEqualTo("signal=null containers=[a, b]");
        assertThat(ListAndLifecycleProbe.waitFor("a", "b")).isEqualTo("containers=[a, b]");
        assertThat(ListAndLifecycleProbe.restart("-t", "2", "--signal", "TERM", "a")).isEqualTo("time=2 signal=TERM containers=[a]");
        assertThat(ListAndLifecycleProbe.restart("a", "b")).isEqualTo("time=null signal=null containers=[a, b]");
        assertThat(ListAndLifecycleProbe.pause("a", "b")).isEqualTo("containers=[a, b] unpause=[a, b]");
        assertThat(ListAndLifecycleProbe.rename("old", "new")).isEqualTo("container=old newName=new");
        assertThat(ListAndLifecycleProbe.tag("busybox", "me/bb:1")).isEqualTo("source=busybox target=me/bb:1");
        assertThat(ListAndLifecycleProbe.rmi("-f", "--no-prune", "a", "b")).isEqualTo("force=true noPrune=true images=[a, b]");
        assertThat(ListAndLifecycleProbe.rmi("a")).isEqualTo("force=false noPrune=false images=[a]");
    }

    /** Fails with the annotated root: picocli reading @Command/@Option/@Spec made six proxy classes per call (eight for run). */
    @Test
    void theHotCommandsGenerateNoAnnotationProxy() throws Exception {
        for (String command : List.of("ps --help", "exec --help", "run --help", "create --help", "logs --help", "inspect --help",
                "images --help", "rm --help", "--version", "container ls --help", "volume ls --help", "network ls --help",
                "start --help", "stop --help", "kill --help", "wait --help", "restart --help", "pause --help",
                "unpause --help", "rename --help", "tag --help", "rmi --help")) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:auto", "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName()));
            cmd.addAll(List.of(command.split(" ")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(log).as(command).contains("io.berth.cli.Main ").doesNotContain("__dynamic_proxy__");
        }
    }

    private record Result(String out, String err, int status) {}

    private static Result call(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(new byte[0]);
        Io io = new Io(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), fd -> false);
        // no daemon: the cases here end before any call to one
        int status = Main.run(args, io, Map.of("BERTH_HOST", "unix:///nonexistent/berth.sock"));
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = CommandModelTest.class.getResourceAsStream("/help/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
