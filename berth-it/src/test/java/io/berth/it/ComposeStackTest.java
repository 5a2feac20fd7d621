package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The articles' Compose stack, for real, through the three Compose clients a user has: a Python web service
 * (python3's http.server and python3-redis) on a published port, keeping a counter in redis-server, whose data
 * is a named volume and whose healthcheck (`redis-cli ping`) the web service waits for. Both images are built
 * from the local debian:bookworm by compose's build: once per class (Debian's packages take about a minute),
 * then each client runs the same file: up -d, write through the app, down, up -d (the count is still there),
 * down -v (the volume is gone).
 */
@Tag("privileged")
class ComposeStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Path FILE = Path.of("src/test/resources/stack/compose.yaml").toAbsolutePath();
    private static final List<String> IMAGES = List.of("berth-stack-web:1", "berth-stack-redis:1");
    /** Every project a test may leave behind when it fails half-way; @AfterAll removes them by name. */
    private static final List<String> PROJECTS = List.of("stackberth", "stackplugin", "stacklegacy");

    static BerthdProcess daemon;
    static int port;

    @TempDir
    static Path dockerConfig;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("stack");
        DebianBaseImage.ensure(daemon);
        port = freePort();
        Cmd.Result build = berthCompose("-f", FILE.toString(), "-p", "stackbuild", "build");
        assertThat(build.exitCode()).as(build.stdout() + build.stderr()).isZero();
    }

    @AfterAll
    static void down() throws Exception {
        if (daemon == null) return;
        try {
            for (String project : PROJECTS) berthCompose("-p", project, "down", "-v", "-t", "1");
            for (String image : IMAGES) daemon.cli("rmi", image);
        } finally {
            DaemonFixture.stop(daemon);
        }
    }

    @Test
    void berthCompose() throws Exception {
        List<String> base = new ArrayList<>(berthComposeCommand());
        base.addAll(List.of("-f", FILE.toString(), "-p", "stackberth"));
        runTheStack(base, Map.of("BERTH_HOST", daemon.host()), "stackberth", "-");
    }

    @Test
    void dockerComposePlugin() throws Exception {
        // the plugin goes into this test's own DOCKER_CONFIG, never into the machine's cli-plugins
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Cmd.run(List.of(root.resolve("scripts/install-compose-plugin.sh").toString(), dockerConfig.resolve("cli-plugins").toString()),
                Map.of(), null, Duration.ofSeconds(30)).orFail();
        List<String> base = List.of("/usr/local/bin/docker", "compose", "-f", FILE.toString(), "-p", "stackplugin");
        runTheStack(base, Map.of("DOCKER_CONFIG", dockerConfig.toString(), "DOCKER_HOST", daemon.host()), "stackplugin", "-");
    }

    @Test
    void debianDockerCompose129() throws Exception {
        List<String> base = List.of("/usr/bin/docker-compose", "-f", FILE.toString(), "-p", "stacklegacy");
        runTheStack(base, Map.of("DOCKER_HOST", daemon.host()), "stacklegacy", "_");
    }

    /** One client's whole run; {@code sep} joins container names (Compose v2: "-", docker-compose 1.x: "_"). */
    private static void runTheStack(List<String> base, Map<String, String> clientEnv, String project, String sep) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(clientEnv);
        env.put("WEB_PORT", Integer.toString(port));
        String url = "http://127.0.0.1:" + port + "/";
        String redis = project + sep + "redis" + sep + "1";
        String volume = project + "_redis-data";

        Cmd.Result up = run(base, env, "up", "-d");
        // the web service started only once redis answered its healthcheck
        assertThat(inspect(redis).at("/State/Health/Status").asText()).isEqualTo("healthy");
        assertThat(curlUntilUp(url)).isEqualTo("hits=0");
        assertThat(curl("-X", "POST", url)).isEqualTo("hits=1");
        assertThat(curl("-X", "POST", url)).isEqualTo("hits=2");
        // the command column: docker-compose 1.29 prints inspect's Config.Entrypoint + Config.Cmd (the image's CMD here)
        assertThat(run(base, env, "ps").stdout()).contains(project + sep + "web" + sep + "1", redis, "Up", "python3 -u app.py");
        assertThat(run(base, env, "logs", "--no-color", "web").stdout()).as(up.stderr()).contains("web: listening on 8000");
        assertThat(run(base, env, "exec", "-T", "redis", "redis-cli", "get", "hits").out()).isEqualTo("2");

        // down removes containers and the network, keeps the named volume
        run(base, env, "down");
        assertThat(daemon.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project).orFail().out()).isEmpty();
        assertThat(daemon.docker("network", "ls", "-q", "--filter", "name=" + project + "_default").orFail().out()).isEmpty();
        assertThat(daemon.docker("volume", "ls", "-q").orFail().out().lines()).contains(volume);

        run(base, env, "up", "-d");
        assertThat(curlUntilUp(url)).isEqualTo("hits=2");
        assertThat(curl("-X", "POST", url)).isEqualTo("hits=3");

        // down -v removes the volume too: nothing of the project is left
        run(base, env, "down", "-v");
        assertThat(daemon.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project).orFail().out()).isEmpty();
        assertThat(daemon.docker("network", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project).orFail().out()).isEmpty();
        assertThat(daemon.docker("volume", "ls", "-q").orFail().out().lines()).doesNotContain(volume);
    }

    private static Cmd.Result run(List<String> base, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(List.of(args));
        return Cmd.run(cmd, env, null, Duration.ofSeconds(180)).orFail();
    }

    private static com.fasterxml.jackson.databind.JsonNode inspect(String name) throws Exception {
        return JSON.readTree(daemon.docker("inspect", name).orFail().stdout()).get(0);
    }

    private static List<String> berthComposeCommand() {
        return List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), "io.berth.cli.Main", "compose");
    }

    private static Cmd.Result berthCompose(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(berthComposeCommand());
        cmd.addAll(List.of(args));
        return Cmd.run(cmd, Map.of("BERTH_HOST", daemon.host(), "WEB_PORT", Integer.toString(port)), null, Duration.ofMinutes(10));
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--fail", "--max-time", "10"));
        cmd.addAll(List.of(args));
        return Cmd.run(cmd, Map.of(), null, Duration.ofSeconds(15)).orFail().out();
    }

    private static String curlUntilUp(String url) throws Exception {
        Cmd.Result last = null;
        for (int i = 0; i < 60; i++) {
            last = Cmd.run(List.of("curl", "-sS", "--fail", "--max-time", "5", url), Map.of(), null, Duration.ofSeconds(10));
            if (last.exitCode() == 0 && !last.stdout().isEmpty()) return last.out();
            Thread.sleep(500);
        }
        throw new AssertionError("no answer from " + url + ": " + last.stderr());
    }

    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
