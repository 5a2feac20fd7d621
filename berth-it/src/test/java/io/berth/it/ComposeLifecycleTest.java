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
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands and flags of issue 11 that no other test drives, each against a real berthd: up's
 * --force-recreate, --no-recreate, --remove-orphans and --no-build, down --remove-orphans and --rmi all,
 * ps -a, logs -f/--tail/-t, stop, start, restart, kill, pause, unpause, rm, top, images, ls, version,
 * push and pull through a registry (Debian's distribution), and the progress on a terminal and off it.
 */
@Tag("privileged")
class ComposeLifecycleTest {
    static BerthdProcess daemon;

    @TempDir
    Path dir;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("compose-life");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    private Cmd.Result compose(Map<String, String> env, String... args) throws Exception {
        return daemon.compose(dir.resolve("compose.yaml"), env, args);
    }

    private Cmd.Result compose(String... args) throws Exception {
        return compose(Map.of(), args);
    }

    private String field(String template, String container) throws Exception {
        return daemon.cli("inspect", "-f", template, container).orFail().out();
    }

    private static final String TWO_SERVICES = """
            name: life
            services:
              web:
                image: busybox
                network_mode: none
                stop_grace_period: 1s
                environment: {V: "${V:-1}"}
                command: [sleep, "1000"]
              db:
                image: busybox
                network_mode: none
                stop_grace_period: 1s
                command: [sleep, "1000"]
            """;

    @Test
    void upRecreatesOnlyAsToldRemovesOrphansOnRequestAndNoBuildRefusesAMissingImage() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), TWO_SERVICES);
        try {
            // off a terminal: plain lines; --progress tty: Compose's redrawn block
            Cmd.Result first = compose("up", "-d");
            assertThat(first.stderr()).contains(" Container life-web-1  Started").doesNotContain("[+]");
            String web = field("{{.Id}}", "life-web-1");
            String db = field("{{.Id}}", "life-db-1");

            Cmd.Result forced = compose("--progress", "tty", "up", "-d", "--force-recreate", "web").orFail();
            assertThat(forced.stderr()).contains("[+] Running", "✔", "Container life-web-1", "Recreated", "\033[");
            assertThat(field("{{.Id}}", "life-web-1")).isNotEqualTo(web);
            assertThat(field("{{.Id}}", "life-db-1")).isEqualTo(db);
            web = field("{{.Id}}", "life-web-1");

            // a changed service is left as it is with --no-recreate, recreated without it
            compose(Map.of("V", "2"), "up", "-d", "--no-recreate").orFail();
            assertThat(field("{{.Id}}", "life-web-1")).isEqualTo(web);
            assertThat(field("{{json .Config.Env}}", "life-web-1")).contains("V=1");
            compose(Map.of("V", "2"), "up", "-d").orFail();
            assertThat(field("{{json .Config.Env}}", "life-web-1")).contains("V=2");

            // db leaves the file: an orphan, warned about and kept, removed with --remove-orphans
            Files.writeString(dir.resolve("compose.yaml"), TWO_SERVICES.substring(0, TWO_SERVICES.indexOf("  db:")));
            Cmd.Result warned = compose(Map.of("V", "2"), "up", "-d").orFail();
            assertThat(warned.stderr()).contains("Found orphan containers (life-db-1)");
            assertThat(field("{{.State.Running}}", "life-db-1")).isEqualTo("true");
            compose(Map.of("V", "2"), "up", "-d", "--remove-orphans").orFail();
            assertThat(daemon.cli("inspect", "life-db-1").exitCode()).isNotZero();

            // kill --remove-orphans and down --remove-orphans remove an orphan too
            Files.writeString(dir.resolve("compose.yaml"), TWO_SERVICES);
            compose(Map.of("V", "2"), "up", "-d").orFail();
            Files.writeString(dir.resolve("compose.yaml"), TWO_SERVICES.substring(0, TWO_SERVICES.indexOf("  db:")));
            Cmd.Result killed = compose("kill", "--remove-orphans").orFail();
            assertThat(killed.stderr()).contains("life-web-1  Killed", "life-db-1  Removed");
            assertThat(daemon.cli("inspect", "life-db-1").exitCode()).isNotZero();
            Files.writeString(dir.resolve("compose.yaml"), TWO_SERVICES);
            compose("up", "-d").orFail();
            Files.writeString(dir.resolve("compose.yaml"), TWO_SERVICES.substring(0, TWO_SERVICES.indexOf("  db:")));
            compose("down", "--remove-orphans").orFail();
            assertThat(daemon.cli("ps", "-aq", "--filter", "label=com.docker.compose.project=life").orFail().out()).isEmpty();

            // --no-build: a service to be built whose image does not exist is an error, nothing is built
            Files.createDirectories(dir.resolve("app"));
            Files.writeString(dir.resolve("app/Dockerfile"), "FROM busybox\n");
            Files.writeString(dir.resolve("compose.yaml"), "name: life\nservices:\n  app:\n    build: ./app\n    network_mode: none\n");
            Cmd.Result noBuild = compose("up", "-d", "--no-build");
            assertThat(noBuild.exitCode()).isEqualTo(1);
            assertThat(noBuild.stderr()).contains("service \"app\" has no image life-app and --no-build was given");
            assertThat(daemon.cli("image", "inspect", "life-app").exitCode()).isNotZero();
        } finally {
            Files.writeString(dir.resolve("compose.yaml"), TWO_SERVICES);
            compose("down", "-t", "0", "--remove-orphans");
        }
    }

    @Test
    void lifecycleCommandsLogsPsTopImagesLsAndVersion() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: cycle
                services:
                  web:
                    image: busybox
                    network_mode: none
                    stop_grace_period: 1s
                    command: [sh, -c, "echo one; echo two; echo three; exec sleep 1000"]
                  job:
                    image: busybox
                    network_mode: none
                    command: [sh, -c, "echo finished"]
                  ticker:
                    image: busybox
                    network_mode: none
                    profiles: [later]
                    command: [sh, -c, "for i in 1 2 3; do echo tick $$i; sleep 1; done"]
                """);
        try {
            compose("up", "-d").orFail();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!field("{{.State.Status}}", "cycle-job-1").equals("exited") && System.nanoTime() < deadline) Thread.sleep(200);

            // ps shows running containers, ps -a the exited one too
            assertThat(compose("ps").orFail().stdout()).contains("cycle-web-1").doesNotContain("cycle-job-1");
            assertThat(compose("ps", "-a").orFail().stdout()).contains("cycle-web-1", "cycle-job-1", "Exited (0)");

            // logs: --tail, -t, and -f following a container until it exits
            String tail = compose("logs", "--no-color", "--tail", "1", "web").orFail().stdout();
            assertThat(tail).contains("web-1  | three").doesNotContain("one", "two");
            assertThat(compose("logs", "--no-color", "-t", "web").orFail().stdout())
                    .containsPattern("web-1  \\| \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z one");
            // coloured prefixes where the output is a terminal (--ansi always stands in for one here), plain otherwise
            assertThat(compose("--ansi", "always", "logs", "web").orFail().stdout()).containsPattern("\033\\[[0-9;]*mweb-1  \\|");
            assertThat(compose("logs", "web").orFail().stdout()).doesNotContain("\033[");
            compose("--profile", "later", "up", "-d", "ticker").orFail();
            long start = System.nanoTime();
            Cmd.Result followed = compose("--profile", "later", "logs", "-f", "--no-color", "ticker").orFail();
            assertThat(followed.stdout()).contains("ticker-1  | tick 1", "ticker-1  | tick 3");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("followed until the exit").isGreaterThan(Duration.ofMillis(1500));

            // top, images, ls, version
            assertThat(compose("top", "web").orFail().stdout()).contains("cycle-web-1", "PID", "sleep 1000");
            assertThat(compose("images").orFail().stdout()).contains("CONTAINER", "cycle-web-1", "busybox", "latest");
            assertThat(compose("ls").orFail().stdout()).containsPattern("cycle\\s+.*running\\(1\\)");
            assertThat(compose("version").orFail().out()).startsWith("Docker Compose version v");
            assertThat(compose("version", "--short").orFail().out()).matches("\\d+\\.\\d+\\.\\d+");

            // stop, start, restart, pause, unpause, kill, rm
            compose("stop", "web").orFail();
            assertThat(field("{{.State.Status}}", "cycle-web-1")).isEqualTo("exited");
            assertThat(compose("ls").orFail().stdout()).doesNotContain("cycle");
            assertThat(compose("ls", "-a").orFail().stdout()).contains("cycle");
            compose("start", "web").orFail();
            assertThat(field("{{.State.Status}}", "cycle-web-1")).isEqualTo("running");
            String started = field("{{.State.StartedAt}}", "cycle-web-1");
            Thread.sleep(1100);
            compose("restart", "web").orFail();
            assertThat(field("{{.State.StartedAt}}", "cycle-web-1")).isNotEqualTo(started);
            compose("pause", "web").orFail();
            assertThat(field("{{.State.Status}}", "cycle-web-1")).isEqualTo("paused");
            compose("unpause", "web").orFail();
            assertThat(field("{{.State.Status}}", "cycle-web-1")).isEqualTo("running");
            compose("kill", "-s", "SIGKILL", "web").orFail();
            assertThat(field("{{.State.Status}} {{.State.ExitCode}}", "cycle-web-1")).isEqualTo("exited 137");
            compose("start", "web").orFail();
            Cmd.Result rm = compose("rm", "-f", "-s", "web").orFail();
            assertThat(rm.stderr()).contains("cycle-web-1");
            assertThat(daemon.cli("inspect", "cycle-web-1").exitCode()).isNotZero();
            compose("rm", "-f", "job").orFail();
            assertThat(daemon.cli("inspect", "cycle-job-1").exitCode()).isNotZero();
        } finally {
            compose("--profile", "later", "down", "-t", "0");
        }
    }

    @Test
    void pushAndPullGoThroughARegistryAndDownRmiAllRemovesThePulledImage(@TempDir Path registryDir) throws Exception {
        try (DistributionRegistry registry = DistributionRegistry.start(registryDir)) {
            String image = registry.host() + "/compose/app:1";
            daemon.cli("tag", "busybox", image).orFail();
            Files.writeString(dir.resolve("compose.yaml"), """
                    name: shipped
                    services:
                      app:
                        image: %s
                        network_mode: none
                        stop_grace_period: 1s
                        command: [sleep, "1000"]
                    """.formatted(image));
            Cmd.Result pushed = compose("push").orFail();
            assertThat(pushed.stderr()).contains("Image " + image + "  Pushed");
            assertThat(Cmd.run(List.of("curl", "-sS", "http://" + registry.host() + "/v2/compose/app/tags/list"), Map.of(), null,
                    Duration.ofSeconds(10)).orFail().out()).contains("\"1\"");

            daemon.cli("rmi", image).orFail();
            compose("pull").orFail();
            assertThat(daemon.cli("image", "inspect", image).exitCode()).isZero();
            compose("up", "-d").orFail();
            compose("down", "--rmi", "all", "-t", "0").orFail();
            assertThat(daemon.cli("image", "inspect", image).exitCode()).isNotZero();
        }
    }

    @Test
    void completedSuccessfullyWaitsForTheExitAndSecretsAndConfigsAreReadOnlyFiles() throws Exception {
        Files.writeString(dir.resolve("token.txt"), "s3cret\n");
        Files.writeString(dir.resolve("app.conf"), "level=debug\n");
        Files.writeString(dir.resolve("compose.yaml"), """
                name: gated
                services:
                  migrate:
                    image: busybox
                    network_mode: none
                    command: [sh, -c, "sleep 2; echo migrated"]
                  app:
                    image: busybox
                    network_mode: none
                    stop_grace_period: 1s
                    command: [sleep, "1000"]
                    depends_on:
                      migrate: {condition: service_completed_successfully}
                    secrets: [token]
                    configs: [{source: conf, target: /etc/app.conf}]
                  broken:
                    image: busybox
                    network_mode: none
                    profiles: [broken]
                    command: [sh, -c, "exit 4"]
                  after:
                    image: busybox
                    network_mode: none
                    profiles: [broken]
                    command: [sleep, "1000"]
                    depends_on:
                      broken: {condition: service_completed_successfully}
                secrets:
                  token: {file: ./token.txt}
                configs:
                  conf: {file: ./app.conf}
                """);
        try {
            Cmd.Result up = compose("up", "-d").orFail();
            assertThat(up.stderr().indexOf("Container gated-migrate-1  Exited")).isPositive()
                    .isLessThan(up.stderr().indexOf("Container gated-app-1  Started"));
            assertThat(field("{{.State.Status}} {{.State.ExitCode}}", "gated-migrate-1")).isEqualTo("exited 0");
            assertThat(java.time.Instant.parse(field("{{.State.StartedAt}}", "gated-app-1")))
                    .isAfter(java.time.Instant.parse(field("{{.State.FinishedAt}}", "gated-migrate-1")));

            // file secrets and configs: bind-mounted read-only, secrets under /run/secrets
            assertThat(compose("exec", "-T", "app", "cat", "/run/secrets/token", "/etc/app.conf").orFail().stdout())
                    .isEqualTo("s3cret\nlevel=debug\n");
            Cmd.Result write = compose("exec", "-T", "app", "sh", "-c", "echo x > /run/secrets/token");
            assertThat(write.exitCode()).isNotZero();
            assertThat(write.stderr()).contains("Read-only file system");

            // a dependency that exits non-zero stops up with Compose's message, and the dependent is never started
            Cmd.Result failed = compose("--profile", "broken", "up", "-d", "after");
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.stderr()).contains("service \"broken\" didn't complete successfully: exit 4");
            assertThat(daemon.cli("ps", "-q", "--filter", "name=gated-after-1").orFail().out()).isEmpty();
        } finally {
            compose("--profile", "broken", "down", "-t", "0");
        }
    }
}
