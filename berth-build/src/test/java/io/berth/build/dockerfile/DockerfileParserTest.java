package io.berth.build.dockerfile;

import io.berth.build.dockerfile.Instruction.ArgDecl;
import io.berth.build.dockerfile.Instruction.Command;
import io.berth.build.dockerfile.Instruction.Heredoc;
import io.berth.build.dockerfile.Instruction.KeyValue;
import io.berth.oci.errors.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerfileParserTest {

    static String resource(String name) {
        try (InputStream in = DockerfileParserTest.class.getResourceAsStream("/dockerfiles/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Dockerfile corpus(String name) {
        return DockerfileParser.parse(name, resource(name));
    }

    @Test
    void everyInstructionAndForm() {
        Dockerfile df = corpus("all-instructions.Dockerfile");
        assertThat(df.escape()).isEqualTo('\\');
        assertThat(df.globalArgs()).singleElement()
                .satisfies(a -> assertThat(a.args()).containsExactly(new ArgDecl("BASE_TAG", "3.20")));
        assertThat(df.stages()).hasSize(1);
        Dockerfile.Stage stage = df.stages().getFirst();
        assertThat(stage.from().image()).isEqualTo("alpine:${BASE_TAG}");
        assertThat(stage.from().location().line()).isEqualTo(4);
        assertThat(stage.name()).isEqualTo("0");
        List<Instruction> in = stage.instructions();
        int i = 0;
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Maintainer.class,
                m -> assertThat(m.name()).isEqualTo("Jane Doe <jane@example.com>"));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Label.class, l -> assertThat(l.pairs()).containsExactly(
                new KeyValue("org.opencontainers.image.title", "\"demo app\""), new KeyValue("version", "1.0"),
                new KeyValue("\"quoted key\"", "value")));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Label.class, l -> assertThat(l.pairs())
                .containsExactly(new KeyValue("description", "This is the legacy form")));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Env.class, e -> assertThat(e.pairs()).containsExactly(
                new KeyValue("APP_HOME", "/srv/app"), new KeyValue("PATH", "\"/srv/app/bin:$PATH\"")));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Env.class, e -> assertThat(e.pairs())
                .containsExactly(new KeyValue("LEGACY_GREETING", "hello world")));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Arg.class, a -> assertThat(a.args())
                .containsExactly(new ArgDecl("USER_ID", "1000"), new ArgDecl("GROUP_ID", null)));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Run.class, r -> {
            assertThat(r.command()).isEqualTo(new Command(true,
                    List.of("addgroup -g ${GROUP_ID:-1000} app && adduser -D -u $USER_ID -G app app")));
            assertThat(r.flags()).isEmpty();
            assertThat(r.heredocs()).isEmpty();
            assertThat(r.original()).startsWith("RUN addgroup");
        });
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Run.class, r -> assertThat(r.command())
                .isEqualTo(new Command(false, List.of("/bin/sh", "-c", "echo exec form"))));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Run.class, r -> {
            assertThat(r.flags()).containsExactly(
                    Map.entry("mount", "type=cache,target=/var/cache/apk\ntype=tmpfs,target=/tmp"),
                    Map.entry("network", "none"));
            assertThat(r.command().args()).containsExactly("apk add curl");
        });
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Workdir.class, w -> assertThat(w.path()).isEqualTo("$APP_HOME"));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Copy.class, c -> {
            assertThat(c.add()).isFalse();
            assertThat(c.sources()).containsExactly("bin/");
            assertThat(c.destination()).isEqualTo("./bin/");
            assertThat(c.chown()).isEqualTo("app:app");
            assertThat(c.chmod()).isEqualTo("0755");
            assertThat(c.from()).isNull();
            assertThat(c.link()).isFalse();
        });
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Copy.class, c -> {
            assertThat(c.link()).isFalse();
            assertThat(c.sources()).containsExactly("etc/config.yaml");
        });
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Copy.class, c -> {
            assertThat(c.add()).isTrue();
            assertThat(c.chown()).isEqualTo("1000:1000");
            assertThat(c.sources()).containsExactly("https://example.com/archive.tar.gz");
            assertThat(c.destination()).isEqualTo("/tmp/");
        });
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Copy.class, c -> assertThat(c.add()).isTrue());
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Copy.class, c -> {
            assertThat(c.sources()).containsExactly("file with spaces.txt");
            assertThat(c.destination()).isEqualTo("/srv/app/docs/");
        });
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Expose.class, e -> assertThat(e.ports())
                .containsExactly("8080/tcp", "8443", "${METRICS_PORT:-9100}/udp"));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Volume.class, v -> assertThat(v.paths()).containsExactly("/data", "/logs"));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Volume.class, v -> assertThat(v.paths()).containsExactly("/cache"));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.User.class, u -> assertThat(u.user()).isEqualTo("app:app"));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Shell.class, s -> assertThat(s.shell())
                .containsExactly("/bin/ash", "-eo", "pipefail", "-c"));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.StopSignal.class, s -> assertThat(s.signal()).isEqualTo("SIGTERM"));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Healthcheck.class, h -> {
            assertThat(h.test()).containsExactly("CMD-SHELL", "wget -qO- http://localhost:8080/health || exit 1");
            assertThat(h.options()).containsExactly(Map.entry("interval", "30s"), Map.entry("timeout", "3s"),
                    Map.entry("start-period", "5s"), Map.entry("retries", "3"));
        });
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.OnBuild.class, o -> assertThat(o.trigger()).isEqualTo("COPY . /srv/app/src"));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.OnBuild.class, o -> assertThat(o.trigger()).isEqualTo("RUN make -C /srv/app/src"));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Entrypoint.class, e -> assertThat(e.command())
                .isEqualTo(new Command(false, List.of("/srv/app/bin/server"))));
        assertThat(in.get(i++)).isInstanceOfSatisfying(Instruction.Cmd.class, c -> assertThat(c.command())
                .isEqualTo(new Command(false, List.of("--port", "8080"))));
        assertThat(in).hasSize(i);
    }

    @Test
    void multiStageWithCompileStageAndGlobalArgs() {
        Dockerfile df = corpus("multistage-go.Dockerfile");
        assertThat(df.globalArgs()).extracting(a -> a.args().getFirst().name()).containsExactly("GO_VERSION", "RUNTIME_IMAGE");
        assertThat(df.stages()).extracting(Dockerfile.Stage::name).containsExactly("build", "test", "2");
        Dockerfile.Stage build = df.stages().get(0);
        assertThat(build.from().platform()).isEqualTo("$BUILDPLATFORM");
        assertThat(build.from().image()).isEqualTo("golang:${GO_VERSION}-alpine");
        assertThat(build.from().alias()).isEqualTo("build");
        // ARG inside a stage is a stage instruction (re-declaring a global ARG brings it into scope).
        assertThat(build.instructions().get(0)).isInstanceOfSatisfying(Instruction.Arg.class, a -> assertThat(a.args())
                .containsExactly(new ArgDecl("TARGETOS", null), new ArgDecl("TARGETARCH", null)));
        assertThat(build.instructions().get(1)).isInstanceOfSatisfying(Instruction.Arg.class, a -> assertThat(a.args())
                .containsExactly(new ArgDecl("GO_VERSION", null)));
        assertThat(build.instructions()).hasSize(7);
        assertThat(df.stages().get(1).from().image()).isEqualTo("build");
        Dockerfile.Stage last = df.stages().get(2);
        assertThat(last.index()).isEqualTo(2);
        assertThat(last.from().image()).isEqualTo("${RUNTIME_IMAGE}");
        assertThat(last.instructions().get(0)).isInstanceOfSatisfying(Instruction.Copy.class, c -> {
            assertThat(c.from()).isEqualTo("build");
            assertThat(c.sources()).containsExactly("/out/app");
        });
        assertThat(last.instructions().get(1)).isInstanceOfSatisfying(Instruction.Copy.class,
                c -> assertThat(c.from()).isEqualTo("nginx:1.25"));
    }

    @Test
    void heredocs() {
        List<Instruction> in = corpus("heredocs.Dockerfile").stages().getFirst().instructions();
        assertThat(in.get(0)).isInstanceOfSatisfying(Instruction.Run.class, r -> {
            assertThat(r.command()).isEqualTo(new Command(true, List.of("<<EOF")));
            assertThat(r.heredocs()).containsExactly(new Heredoc("EOF", "apt-get update\napt-get install -y curl\n", true, false));
        });
        assertThat(in.get(1)).isInstanceOfSatisfying(Instruction.Run.class, r -> {
            assertThat(r.command().args()).containsExactly("<<-'SCRIPT' bash");
            assertThat(r.heredocs()).containsExactly(new Heredoc("SCRIPT",
                    "echo \"$HOME is not expanded by the builder\"\necho indented\n", false, true));
        });
        assertThat(in.get(2)).isInstanceOfSatisfying(Instruction.Run.class, r -> assertThat(r.heredocs()).containsExactly(
                new Heredoc("A", "first $X\n", true, false), new Heredoc("B", "second $X\n", false, false)));
        assertThat(in.get(3)).isInstanceOfSatisfying(Instruction.Copy.class, c -> {
            assertThat(c.sources()).containsExactly("<<EOF");
            assertThat(c.destination()).isEqualTo("/etc/motd");
            assertThat(c.heredocs()).containsExactly(new Heredoc("EOF", "Welcome\n", true, false));
        });
        assertThat(in.get(4)).isInstanceOfSatisfying(Instruction.Copy.class, c -> {
            assertThat(c.chmod()).isEqualTo("0600");
            assertThat(c.sources()).containsExactly("<<KEY", "<<CERT");
            assertThat(c.heredocs()).extracting(Heredoc::content).containsExactly("key-data\n", "cert-data\n");
        });
        assertThat(in.get(5)).isInstanceOfSatisfying(Instruction.Run.class, r -> assertThat(r.heredocs()).isEmpty());
        assertThat(in.get(5).location().line()).isEqualTo(23);
        assertThat(in).hasSize(6);
    }

    @Test
    void escapeDirectiveWithBacktick() {
        Dockerfile df = corpus("escape-backtick.Dockerfile");
        assertThat(df.escape()).isEqualTo('`');
        List<Instruction> in = df.stages().getFirst().instructions();
        assertThat(in.get(0)).isInstanceOfSatisfying(Instruction.Copy.class, c -> assertThat(c.destination()).isEqualTo("c:\\"));
        assertThat(in.get(1)).isInstanceOfSatisfying(Instruction.Run.class, r -> {
            assertThat(r.command().args()).containsExactly("dir c:\\    && echo done");
            assertThat(r.location()).isEqualTo(new Instruction.SourceLocation("escape-backtick.Dockerfile", 6, 2));
        });
        assertThat(in.get(2)).isInstanceOfSatisfying(Instruction.Workdir.class, w -> assertThat(w.path()).isEqualTo("C:\\app"));
        assertThat(in.get(3)).isInstanceOfSatisfying(Instruction.Env.class, e -> {
            assertThat(e.pairs()).containsExactly(new KeyValue("DIR", "\"C:\\Program Files\""), new KeyValue("OTHER", "`$literal"));
            // The builder's substitution removes quotes and honours the backtick escape.
            assertThat(VariableExpander.expand(e.pairs().get(0).value(), v -> null, '`')).isEqualTo("C:\\Program Files");
            assertThat(VariableExpander.expand(e.pairs().get(1).value(), v -> "x", '`')).isEqualTo("$literal");
        });
    }

    @Test
    void continuationsSkipCommentsAndBlankLines() {
        List<Instruction> in = corpus("continuations.Dockerfile").stages().getFirst().instructions();
        assertThat(in.get(0)).isInstanceOfSatisfying(Instruction.Run.class, r -> {
            assertThat(r.command().args()).containsExactly("apt-get update     && apt-get install -y         "
                    + "ca-certificates         curl     && rm -rf /var/lib/apt/lists/*");
            assertThat(r.location().line()).isEqualTo(3);
        });
        assertThat(in.get(1)).isInstanceOfSatisfying(Instruction.Label.class, l -> assertThat(l.pairs()).containsExactly(
                new KeyValue("a", "1"), new KeyValue("b", "\"two words\""), new KeyValue("c", "'$not_expanded'")));
        assertThat(in.get(2)).isInstanceOfSatisfying(Instruction.Run.class, r -> {
            assertThat(r.command().args()).containsExactly("echo lowercase instructions and leading blanks work");
            assertThat(r.location().column()).isEqualTo(4);
            assertThat(r.original()).isEqualTo("run    echo lowercase instructions and leading blanks work");
        });
        assertThat(in.get(3)).isInstanceOfSatisfying(Instruction.Cmd.class, c -> assertThat(c.command())
                .isEqualTo(new Command(true, List.of("echo     done"))));
    }

    @Test
    void jsonFormRules() {
        List<Instruction> in = corpus("json-forms.Dockerfile").stages().getFirst().instructions();
        assertThat(((Instruction.Cmd) in.get(0)).command()).isEqualTo(new Command(false, List.of("echo", "exec \"quoted\" é")));
        assertThat(((Instruction.Cmd) in.get(1)).command()).isEqualTo(new Command(false, List.of("spaced", "array")));
        // Not valid JSON: Docker runs these as shell commands.
        assertThat(((Instruction.Cmd) in.get(2)).command()).isEqualTo(new Command(true, List.of("['single', 'quotes']")));
        assertThat(((Instruction.Cmd) in.get(3)).command()).isEqualTo(new Command(true, List.of("[echo, hello]")));
        assertThat(((Instruction.Entrypoint) in.get(4)).command()).isEqualTo(new Command(false, List.of()));
        assertThat(((Instruction.Entrypoint) in.get(5)).command()).isEqualTo(new Command(true, List.of("exec top -b")));
        assertThat(((Instruction.Run) in.get(6)).command()).isEqualTo(new Command(false, List.of("sh", "-c", "echo ${HOME}")));
        assertThat(((Instruction.Run) in.get(7)).command().shellForm()).isTrue();
        assertThat(((Instruction.Volume) in.get(8)).paths()).containsExactly("/a", "/b c");
    }

    @Test
    void healthcheckNoneAndExecForm() {
        Dockerfile df = DockerfileParser.parse("Dockerfile", """
                FROM a
                HEALTHCHECK NONE
                HEALTHCHECK --start-interval=1s CMD ["curl", "-f", "http://x/"]
                """);
        List<Instruction> in = df.stages().getFirst().instructions();
        assertThat(((Instruction.Healthcheck) in.get(0)).test()).containsExactly("NONE");
        assertThat(((Instruction.Healthcheck) in.get(1)).test()).containsExactly("CMD", "curl", "-f", "http://x/");
        assertThat(((Instruction.Healthcheck) in.get(1)).options()).containsExactly(Map.entry("start-interval", "1s"));
    }

    @Test
    void quotedFlagValuesAndLinkFlag() {
        Instruction.Copy copy = (Instruction.Copy) DockerfileParser.parse("Dockerfile", """
                FROM a
                COPY --link --chown="app user:staff" --from=builder /a /b
                """).stages().getFirst().instructions().getFirst();
        assertThat(copy.link()).isTrue();
        assertThat(copy.chown()).isEqualTo("app user:staff");
        assertThat(copy.from()).isEqualTo("builder");
    }

    @Test
    void crlfLineEndingsAndByteOrderMark() {
        Dockerfile df = DockerfileParser.parse("Dockerfile", "\uFEFFFROM a\r\nRUN echo \\\r\n  hi\r\n");
        assertThat(((Instruction.Run) df.stages().getFirst().instructions().getFirst()).command().args())
                .containsExactly("echo   hi");
    }

    @Test
    void directivesOnlyCountAtTheTop() {
        // After a normal comment, "# escape=`" is just a comment: the backslash still escapes.
        Dockerfile df = DockerfileParser.parse("Dockerfile", "# hello\n# escape=`\nFROM a\nRUN a \\\n b\n");
        assertThat(df.escape()).isEqualTo('\\');
        assertThat(df.stages().getFirst().instructions()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown-instruction.Dockerfile      | unknown-instruction.Dockerfile:3:1: unknown instruction: "FROBNICATE"
            empty.Dockerfile                    | empty.Dockerfile:1:1: the Dockerfile cannot be empty
            instruction-before-from.Dockerfile  | instruction-before-from.Dockerfile:2:3: RUN before the first FROM
            from-without-image.Dockerfile       | from-without-image.Dockerfile:1:5: FROM requires an image
            bad-flag.Dockerfile                 | bad-flag.Dockerfile:2:18: unknown flag: "owner"
            unterminated-heredoc.Dockerfile     | unterminated-heredoc.Dockerfile:2:5: unterminated heredoc "<<EOF"
            from-bad-arity.Dockerfile           | from-bad-arity.Dockerfile:1:6: FROM requires either one or three arguments
            json-not-strings.Dockerfile         | json-not-strings.Dockerfile:2:5: when using JSON array syntax, arrays must be comprised of strings only
            shell-not-json.Dockerfile           | shell-not-json.Dockerfile:2:7: SHELL requires the arguments to be in JSON form
            run-bad-network.Dockerfile          | run-bad-network.Dockerfile:2:5: unsupported network mode
            onbuild-chained.Dockerfile          | onbuild-chained.Dockerfile:2:9: chaining ONBUILD
            healthcheck-bad-duration.Dockerfile | healthcheck-bad-duration.Dockerfile:2:13: --interval must be a duration
            duplicate-stage.Dockerfile          | duplicate-stage.Dockerfile:2:1: duplicate stage name "a"
            copy-one-arg.Dockerfile             | copy-one-arg.Dockerfile:2:6: COPY requires at least two arguments
            env-empty.Dockerfile                | env-empty.Dockerfile:2:4: ENV requires at least one argument
            no-from.Dockerfile                  | no-from.Dockerfile:1:1: the Dockerfile has no FROM instruction
            bad-escape.Dockerfile               | bad-escape.Dockerfile:1:1: invalid escape token "x"
            """)
    void rejectsWithFileLineColumn(String name, String expected) {
        assertThatThrownBy(() -> DockerfileParser.parse(name, resource("rejected/" + name)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith(expected);
    }

    @Test
    void errorInContinuedLinePointsAtThePhysicalLine() {
        assertThatThrownBy(() -> DockerfileParser.parse("Dockerfile", "FROM a\nCOPY \\\n   --bogus=1 a b\n"))
                .hasMessageStartingWith("Dockerfile:3:4: unknown flag: \"bogus\"");
    }

    @Test
    void brokenOnbuildTriggerFailsNow() {
        assertThatThrownBy(() -> DockerfileParser.parse("Dockerfile", "FROM a\nONBUILD NOPE x\n"))
                .hasMessageStartingWith("Dockerfile:2:9: unknown instruction: \"NOPE\"");
    }

    @Test
    void tenMegabytesOfGarbageFailsFastWithAClearError() {
        byte[] bytes = new byte[10 << 20];
        new Random(42).nextBytes(bytes);
        String garbage = new String(bytes, StandardCharsets.ISO_8859_1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> DockerfileParser.parse("Dockerfile", garbage))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageMatching("Dockerfile:\\d+:\\d+: unknown instruction: \".{1,200}\"")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void oneHugeLineIsRefused() {
        String text = "FROM a\nRUN " + "x".repeat(DockerfileParser.MAX_LINE + 1);
        assertThatThrownBy(() -> DockerfileParser.parse("Dockerfile", text))
                .hasMessageStartingWith("Dockerfile:2:1: line is longer than");
    }
}
