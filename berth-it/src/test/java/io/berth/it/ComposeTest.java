package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
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
 * berth compose (and docker compose through the plugin, and Debian's docker-compose 1.29) against a real
 * berthd. Most projects use network_mode: none to stay quick; the project network, aliases, published ports and
 * depends_on service_healthy have tests of their own. Nothing here skips: scripts/setup-host.sh installs
 * docker-compose 1.29, and berthd has the /networks API and healthchecks, so a missing one is a failure.
 */
@Tag("privileged")
class ComposeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static BerthdProcess daemon;

    @TempDir
    Path dir;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("compose");
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

    private JsonNode inspect(String name) throws Exception {
        return JSON.readTree(daemon.cli("inspect", name).orFail().stdout()).get(0);
    }

    private static final String NO_NETWORK_PROJECT = """
            name: shop
            services:
              web:
                image: busybox
                network_mode: none
                stop_grace_period: 1s
                command: sh -c 'echo "web says $$GREETING"; echo persisted > /data/file; exec sleep 1000'
                environment:
                  GREETING: ${GREETING:-hello}
                volumes: [data:/data]
                depends_on: [db]
              db:
                image: busybox
                network_mode: none
                stop_grace_period: 1s
                command: ["sh", "-c", "echo db ready; exec sleep 1000"]
                labels: {tier: db}
            volumes:
              data: {}
            """;

    @Test
    void upPsLogsRecreateOnChangeScaleAndDownKeepingVolumesUntilDashV() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), NO_NETWORK_PROJECT);

        Cmd.Result up = compose("up", "-d").orFail();
        assertThat(up.stderr()).contains(" Volume shop_data  Created", " Container shop-db-1  Started", " Container shop-web-1  Started");
        assertThat(up.stderr().indexOf("shop-db-1  Started")).isLessThan(up.stderr().indexOf("shop-web-1  Started"));

        Cmd.Result ps = compose("ps").orFail();
        assertThat(ps.stdout()).startsWith("NAME ").contains("shop-db-1", "shop-web-1");
        JsonNode web = inspect("shop-web-1");
        JsonNode labels = web.at("/Config/Labels");
        assertThat(labels.get("com.docker.compose.project").asText()).isEqualTo("shop");
        assertThat(labels.get("com.docker.compose.service").asText()).isEqualTo("web");
        assertThat(labels.get("com.docker.compose.container-number").asText()).isEqualTo("1");
        assertThat(labels.get("com.docker.compose.oneoff").asText()).isEqualTo("False");
        assertThat(labels.get("com.docker.compose.project.working_dir").asText()).isEqualTo(dir.toString());
        assertThat(labels.get("com.docker.compose.project.config_files").asText()).isEqualTo(dir.resolve("compose.yaml").toString());
        assertThat(labels.get("com.docker.compose.config-hash").asText()).matches("[0-9a-f]{64}");
        assertThat(labels.get("com.docker.compose.depends_on").asText()).isEqualTo("db:service_started:false");
        assertThat(inspect("shop-db-1").at("/Config/Labels/tier").asText()).isEqualTo("db");
        assertThat(JSON.readTree(daemon.cli("volume", "inspect", "shop_data").orFail().stdout()).get(0).at("/Labels/com.docker.compose.volume").asText())
                .isEqualTo("data");

        String logs = compose("logs", "--no-color").orFail().stdout();
        assertThat(logs).contains("web-1  | web says hello", "db-1   | db ready");

        // unchanged: left running
        String webId = web.get("Id").asText();
        Cmd.Result again = compose("up", "-d").orFail();
        assertThat(again.stderr()).contains(" Container shop-web-1  Running");
        assertThat(inspect("shop-web-1").get("Id").asText()).isEqualTo(webId);

        // changed (interpolated environment): recreated, the named volume kept
        Cmd.Result changed = compose(Map.of("GREETING", "bonjour"), "up", "-d").orFail();
        assertThat(changed.stderr()).contains(" Container shop-web-1  Recreated", " Container shop-db-1  Running");
        assertThat(inspect("shop-web-1").get("Id").asText()).isNotEqualTo(webId);
        assertThat(compose(Map.of("GREETING", "bonjour"), "logs", "web").orFail().stdout()).contains("web says bonjour");

        // scale
        compose(Map.of("GREETING", "bonjour"), "up", "-d", "--scale", "db=2").orFail();
        assertThat(compose("ps", "-q", "db").orFail().out().lines()).hasSize(2);
        assertThat(inspect("shop-db-2").at("/Config/Labels/com.docker.compose.container-number").asText()).isEqualTo("2");
        compose(Map.of("GREETING", "bonjour"), "up", "-d").orFail();
        assertThat(compose("ps", "-q", "db").orFail().out().lines()).hasSize(1);

        JsonNode psJson = JSON.readTree(compose("ps", "--format", "json", "web").orFail().out());
        assertThat(psJson.get("Name").asText()).isEqualTo("shop-web-1");
        assertThat(psJson.get("Service").asText()).isEqualTo("web");
        assertThat(psJson.get("State").asText()).isEqualTo("running");

        // down keeps the named volume (and its data), down -v removes it
        Cmd.Result down = compose("down").orFail();
        assertThat(down.stderr()).contains(" Container shop-web-1  Removed", " Container shop-db-1  Removed");
        assertThat(daemon.cli("ps", "-aq", "--filter", "label=com.docker.compose.project=shop").orFail().out()).isEmpty();
        assertThat(daemon.cli("volume", "ls", "-q").orFail().out()).contains("shop_data");
        compose("up", "-d").orFail();
        assertThat(daemon.cli("exec", "shop-web-1", "cat", "/data/file").orFail().out()).isEqualTo("persisted");
        compose("down", "-v").orFail();
        assertThat(daemon.cli("volume", "ls", "-q").orFail().out()).doesNotContain("shop_data");
    }

    /** The README's compose block as written: its YAML, then its command line with the host's curl. */
    @Test
    void theReadmeExampleRuns() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).getParent().resolve("README.md"));
        String start = "cat > compose.yaml <<'YAML'\n";
        int from = readme.indexOf(start) + start.length();
        Files.writeString(dir.resolve("compose.yaml"), readme.substring(from, readme.indexOf("\nYAML\n", from) + 1));
        String commandLine = readme.substring(readme.indexOf("\nYAML\n", from) + 6, readme.indexOf("\n```", from));
        assertThat(commandLine).isEqualTo("./berth compose up -d && curl -s http://127.0.0.1:8080/ && ./berth compose ps && ./berth compose down -v");
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> env = Map.of("PORT", Integer.toString(port));
        String project = dir.getFileName().toString().toLowerCase().replaceAll("[^a-z0-9_-]", "");
        try {
            Cmd.Result up = compose(env, "up", "-d").orFail();
            assertThat(up.stderr().indexOf("Container " + project + "-cache-1  Healthy"))
                    .isPositive().isLessThan(up.stderr().indexOf("Container " + project + "-web-1  Started"));
            assertThat(Cmd.run(List.of("curl", "-s", "--max-time", "10", "http://127.0.0.1:" + port + "/"), Map.of(), null,
                    Duration.ofSeconds(15)).orFail().out()).isEqualTo("hello world");
            assertThat(compose(env, "ps").orFail().stdout()).contains(project + "-web-1", project + "-cache-1", "(healthy)");
            assertThat(daemon.cli("volume", "ls", "-q").orFail().out()).contains(project + "_www");
            long t = System.nanoTime();
            compose(env, "down", "-v").orFail();
            assertThat(Duration.ofNanos(System.nanoTime() - t)).as("init: true lets the containers stop at once").isLessThan(Duration.ofSeconds(8));
            assertThat(daemon.cli("volume", "ls", "-q").orFail().out()).doesNotContain(project + "_www");
        } finally {
            compose(env, "down", "-v", "-t", "0");
        }
    }

    @Test
    void configPrintsTheNormalisedModelAndATypoIsRefusedWithItsPath() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), NO_NETWORK_PROJECT);
        String config = compose("config").orFail().stdout();
        assertThat(config).startsWith("name: shop\n").contains("GREETING: hello", "name: shop_data", "condition: service_started");
        Files.writeString(dir.resolve("compose.yaml"), "services:\n  web:\n    imagee: busybox\n");
        Cmd.Result bad = compose("up", "-d");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("services.web.imagee: additional property not allowed");
        Files.writeString(dir.resolve("compose.yaml"), "services:\n  web:\n    image: busybox\n    network_mode: none\n    links: [x]\n");
        assertThat(compose("up", "-d").stderr()).contains("\"links\" is not supported by berth compose");
    }

    @Test
    void runExecAndOneOffContainers() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), NO_NETWORK_PROJECT.replace("name: shop", "name: tools"));
        Cmd.Result run = compose("run", "--rm", "-e", "X=1", "db", "sh", "-c", "echo run $X");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("run 1");
        Cmd.Result failing = compose("run", "--rm", "--no-deps", "db", "sh", "-c", "exit 3");
        assertThat(failing.exitCode()).isEqualTo(3);
        assertThat(daemon.cli("ps", "-aq", "--filter", "label=com.docker.compose.oneoff=True").orFail().out()).isEmpty();
        compose("up", "-d", "db").orFail();
        Cmd.Result exec = compose("exec", "-T", "db", "sh", "-c", "echo in db; exit 4");
        assertThat(exec.stdout()).contains("in db");
        assertThat(exec.exitCode()).isEqualTo(4);
        compose("down", "-v").orFail();
    }

    @Test
    void upAttachedFollowsTheLogsAndAbortsOnTheFirstExit() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: attached
                services:
                  job:
                    image: busybox
                    network_mode: none
                    command: ["sh", "-c", "echo working; sleep 1; echo done; exit 3"]
                  server:
                    image: busybox
                    network_mode: none
                    stop_grace_period: 1s
                    command: ["sh", "-c", "echo serving; exec sleep 1000"]
                """);
        try {
            Cmd.Result up = compose("up", "--abort-on-container-exit", "--no-color");
            assertThat(up.exitCode()).as(up.stderr()).isEqualTo(3);
            assertThat(up.stdout()).contains("Attaching to attached-job-1, attached-server-1", "job-1     | working", "job-1     | done",
                    "server-1  | serving", "job-1 exited with code 3", "Aborting on container exit...");
            assertThat(inspect("attached-server-1").at("/State/Running").asBoolean()).isFalse();
        } finally {
            compose("down").orFail();
        }
    }

    @Test
    void dockerComposePluginDrivesTheSameProject() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), NO_NETWORK_PROJECT.replace("name: shop", "name: plug"));
        Path config = dir.resolve("docker-config");
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Cmd.run(List.of(root.resolve("scripts/install-compose-plugin.sh").toString(), config.resolve("cli-plugins").toString()),
                Map.of(), null, Duration.ofSeconds(30)).orFail();
        Map<String, String> env = Map.of("DOCKER_CONFIG", config.toString());
        List<String> base = List.of("/usr/local/bin/docker", "-H", daemon.host(), "compose", "-f", dir.resolve("compose.yaml").toString());
        assertThat(Cmd.run(List.of("/usr/local/bin/docker", "compose", "version"), env, null, Duration.ofSeconds(60)).orFail().out())
                .startsWith("Docker Compose version v2");
        Cmd.run(concat(base, "up", "-d"), env, null, Duration.ofSeconds(120)).orFail();
        assertThat(Cmd.run(concat(base, "ps"), env, null, Duration.ofSeconds(60)).orFail().stdout()).contains("plug-web-1", "plug-db-1");
        // berth compose sees what docker compose made, by its labels
        assertThat(compose("-p", "plug", "ps", "-q").orFail().out().lines()).hasSize(2);
        Cmd.run(concat(base, "down", "-v"), env, null, Duration.ofSeconds(120)).orFail();
        assertThat(daemon.cli("volume", "ls", "-q").orFail().out()).doesNotContain("plug_data");
    }

    @Test
    void debianDockerCompose129DrivesBerthd() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), NO_NETWORK_PROJECT.replace("name: shop\n", ""));
        Map<String, String> env = Map.of("DOCKER_HOST", daemon.host());
        List<String> base = List.of("/usr/bin/docker-compose", "-p", "legacy", "-f", dir.resolve("compose.yaml").toString());
        Cmd.run(concat(base, "up", "-d"), env, null, Duration.ofSeconds(180)).orFail();
        assertThat(Cmd.run(concat(base, "ps"), env, null, Duration.ofSeconds(60)).orFail().stdout()).contains("legacy_web_1", "Up");
        assertThat(Cmd.run(concat(base, "logs", "--no-color", "web"), env, null, Duration.ofSeconds(60)).orFail().stdout())
                .contains("web says hello");
        assertThat(Cmd.run(concat(base, "exec", "-T", "web", "cat", "/data/file"), env, null, Duration.ofSeconds(60)).orFail().out())
                .isEqualTo("persisted");
        // the labels 1.29 writes are the ones berth compose reads
        assertThat(compose("-p", "legacy", "ps", "-q").orFail().out().lines()).hasSize(2);
        // and berth compose removes it knowing the project by name only (no compose file here), as `docker compose -p` does
        List<String> cmd = new ArrayList<>(List.of(JAVA, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), "io.berth.cli.Main", "compose", "-p", "legacy", "down", "-v", "-t", "1"));
        Cmd.Result down = Cmd.run(cmd, Map.of("BERTH_HOST", daemon.host()), null, Duration.ofSeconds(180)).orFail();
        assertThat(down.stderr()).contains(" Container legacy_web_1  Removed", " Volume legacy_data  Removed");
        assertThat(daemon.cli("ps", "-aq", "--filter", "label=com.docker.compose.project=legacy").orFail().out()).isEmpty();
        assertThat(daemon.cli("volume", "ls", "-q").orFail().out()).doesNotContain("legacy_data");
    }

    @Test
    void buildsThroughBerthdAndRecreatesWhenTheImageChanges() throws Exception {
        Path app = dir.resolve("app");
        Files.createDirectories(app);
        Files.writeString(app.resolve("Dockerfile.app"), "FROM busybox\nARG FLAVOUR\nRUN echo \"$FLAVOUR\" > /flavour\nCMD [\"sleep\", \"1000\"]\n");
        Files.writeString(dir.resolve("compose.yaml"), """
                name: built
                services:
                  app:
                    build:
                      context: ./app
                      dockerfile: Dockerfile.app
                      args: {FLAVOUR: "${FLAVOUR:-vanilla}"}
                      labels: {made-by: compose}
                    network_mode: none
                    stop_grace_period: 1s
                """);
        try {
            compose("up", "-d").orFail();
            JsonNode image = JSON.readTree(daemon.cli("image", "inspect", "built-app").orFail().stdout()).get(0);
            assertThat(image.at("/Config/Labels/made-by").asText()).isEqualTo("compose");
            assertThat(image.at("/Config/Labels/com.docker.compose.project").asText()).isEqualTo("built");
            JsonNode first = inspect("built-app-1");
            assertThat(first.at("/Config/Labels/com.docker.compose.image").asText()).isEqualTo(image.get("Id").asText());
            assertThat(daemon.cli("exec", "built-app-1", "cat", "/flavour").orFail().out()).isEqualTo("vanilla");
            // the image exists: a plain up does not rebuild; up --build does, and the new image recreates the container
            compose(Map.of("FLAVOUR", "mint"), "up", "-d").orFail();
            assertThat(daemon.cli("exec", "built-app-1", "cat", "/flavour").orFail().out()).isEqualTo("vanilla");
            Cmd.Result rebuilt = compose(Map.of("FLAVOUR", "mint"), "up", "-d", "--build").orFail();
            assertThat(rebuilt.stderr()).contains(" Container built-app-1  Recreated");
            assertThat(daemon.cli("exec", "built-app-1", "cat", "/flavour").orFail().out()).isEqualTo("mint");
        } finally {
            compose("down", "--rmi", "local").orFail();
        }
        assertThat(daemon.cli("image", "inspect", "built-app").exitCode()).isNotZero();
    }

    @Test
    void defaultNetworkAliasesAndPublishedPorts() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: net
                services:
                  db:
                    image: busybox
                    stop_grace_period: 1s
                    command: ["sleep", "1000"]
                    networks:
                      default: {aliases: [database]}
                  web:
                    image: busybox
                    stop_grace_period: 1s
                    command: ["sh", "-c", "mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    ports: ["127.0.0.1:18080:8080"]
                    depends_on: [db]
                """);
        compose("up", "-d").orFail();
        try {
            JsonNode net = JSON.readTree(daemon.curl("http://berthd/v1.43/networks/net_default").stdout().lines()
                    .filter(l -> l.startsWith("{")).findFirst().orElseThrow());
            assertThat(net.at("/Labels/com.docker.compose.network").asText()).isEqualTo("default");
            assertThat(net.at("/Labels/com.docker.compose.project").asText()).isEqualTo("net");
            assertThat(inspect("net-web-1").at("/NetworkSettings/Networks/net_default/Aliases").toString()).contains("web");
            // the service name and its alias resolve from the other container
            assertThat(daemon.cli("exec", "net-web-1", "nslookup", "db").orFail().stdout()).contains("Address");
            assertThat(daemon.cli("exec", "net-web-1", "nslookup", "database").orFail().stdout()).contains("Address");
            assertThat(compose("port", "web", "8080").orFail().out()).isEqualTo("127.0.0.1:18080");
        } finally {
            compose("down", "-v").orFail();
        }
        assertThat(daemon.curl("http://berthd/v1.43/networks/net_default").stdout()).endsWith("404");
    }

    @Test
    void dependsOnServiceHealthyWaitsForTheHealthcheck() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                name: health
                services:
                  db:
                    image: busybox
                    network_mode: none
                    stop_grace_period: 1s
                    command: ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 1000"]
                    healthcheck:
                      test: ["CMD", "test", "-f", "/tmp/ready"]
                      interval: 500ms
                      retries: 20
                  web:
                    image: busybox
                    network_mode: none
                    stop_grace_period: 1s
                    command: ["sleep", "1000"]
                    depends_on:
                      db: {condition: service_healthy}
                """);
        try {
            Cmd.Result up = compose("up", "-d").orFail();
            assertThat(up.stderr()).contains(" Container health-db-1  Healthy");
            assertThat(up.stderr().indexOf("health-db-1  Healthy")).isLessThan(up.stderr().indexOf("health-web-1  Started"));
            assertThat(inspect("health-db-1").at("/State/Health/Status").asText()).isEqualTo("healthy");
            compose("up", "-d", "--wait").orFail();
        } finally {
            compose("down").orFail();
        }
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
