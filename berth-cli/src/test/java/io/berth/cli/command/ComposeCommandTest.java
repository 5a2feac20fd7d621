package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.Io;
import io.berth.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth compose} through the CLI's command table: every word after "compose" reaches berth-compose. */
class ComposeCommandTest {
    @TempDir
    Path dir;

    private record Out(int status, String out, String err) {}

    private Out run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), fd -> false);
        int status = Main.run(args, io, env);
        return new Out(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void composeOptionsAndSubcommandsPassThroughTheBerthCommandLine() throws Exception {
        Path file = dir.resolve("stack.yaml");
        Files.writeString(file, "services:\n  web:\n    image: busybox:${TAG:-1}\n  db:\n    image: busybox\n    profiles: [db]\n");
        Out services = run(Map.of(), "compose", "-f", file.toString(), "--profile", "db", "config", "--services");
        assertThat(services.status()).as(services.err()).isZero();
        assertThat(services.out()).isEqualTo("db\nweb\n");
        Out config = run(Map.of("TAG", "2"), "-H", "unix:///nonexistent.sock", "compose", "-f", file.toString(), "-p", "demo", "config");
        assertThat(config.out()).startsWith("name: demo\n").contains("image: busybox:2");
        assertThat(run(Map.of(), "compose", "version", "--short").out()).isEqualTo("2.40.3\n");
    }

    @Test
    void loaderErrorsAreTheCommandsErrors() throws Exception {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "services:\n  web:\n    imagee: busybox\n");
        Out bad = run(Map.of(), "compose", "-f", file.toString(), "config");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("validating " + file + ": services.web.imagee: additional property not allowed\n");
        Out flag = run(Map.of(), "compose", "-f", file.toString(), "up", "--bogus");
        assertThat(flag.status()).isEqualTo(1);
        assertThat(flag.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void aFormatACommandDoesNotPrintIsRefusedNotReplacedByTheDefault() throws Exception {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "services:\n  web:\n    image: busybox\n");
        for (String[] c : new String[][] {{"images", "{{.ID}}", "table or json"}, {"ls", "{{.Name}}", "table or json"},
                {"version", "{{.Version}}", "pretty or json"}, {"config", "toml", "yaml or json"}}) {
            Out out = run(Map.of(), "-H", "unix:///nonexistent.sock", "compose", "-f", file.toString(), c[0], "--format", c[1]);
            assertThat(out.status()).as(c[0]).isEqualTo(1);
            assertThat(out.err()).isEqualTo("--format " + c[1] + " is not supported by berth compose (" + c[2] + ")\n");
        }
    }

    @Test
    void runRefusesTtyWithNoTtyAndOptionsComposeRunHasThatBerthDoesNot() throws Exception {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, "services:\n  web:\n    image: busybox\n");
        Out both = run(Map.of(), "-H", "unix:///nonexistent.sock", "compose", "-f", file.toString(), "run", "-t", "-T", "web", "true");
        assertThat(both.status()).isEqualTo(1);
        assertThat(both.err()).isEqualTo("--tty and --no-tty can't be used together\n");
        // -t with stdin not a terminal (as here): no terminal to give the process, as Compose says
        Out noTerminal = run(Map.of(), "-H", "unix:///nonexistent.sock", "compose", "-f", file.toString(), "run", "-t", "web", "true");
        assertThat(noTerminal.err()).isEqualTo("the input device is not a TTY\n");
        for (String option : List.of("--cap-add", "--volume", "--publish", "--label", "--pull", "--use-aliases", "--build")) {
            Out out = run(Map.of(), "-H", "unix:///nonexistent.sock", "compose", "-f", file.toString(), "run", option, "x", "web", "true");
            assertThat(out.status()).as(option).isEqualTo(1);
            assertThat(out.err()).as(option).contains("Unknown option: '" + option + "'");
        }
    }
}
