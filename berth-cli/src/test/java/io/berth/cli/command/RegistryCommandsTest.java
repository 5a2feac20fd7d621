package io.berth.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.cli.FakeEngine;
import io.berth.cli.Io;
import io.berth.cli.Main;
import io.berth.client.RegistryAuth;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** login, logout, push and pull's credentials, end to end through {@link Main} against a scripted daemon. */
class RegistryCommandsTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {}

    private Run berth(FakeEngine engine, String stdin, String... args) {
        return berth(engine, false, stdin, args);
    }

    private Run berth(FakeEngine engine, boolean stdoutIsTerminal, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                fd -> stdoutIsTerminal && fd == 1);
        Map<String, String> env = Map.of("DOCKER_HOST", engine.address(), "DOCKER_CONFIG", dir.resolve("cfg").toString());
        int status = Main.run(args, io, env);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static FakeEngine.Response loginAnswer(FakeEngine.Request r) {
        if (r.body().contains("\"password\":\"right\"")) {
            return new FakeEngine.Response(200, "application/json", "{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"\"}");
        }
        return new FakeEngine.Response(401, "application/json", "{\"message\":\"login attempt to http://localhost:5000/v2/ failed with status: 401 Unauthorized\"}");
    }

    private JsonNode config() throws Exception {
        return new ObjectMapper().readTree(dir.resolve("cfg/config.json").toFile());
    }

    @Test
    void loginStoresCredentialsAndLogoutRemovesThem() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, RegistryCommandsTest::loginAnswer)) {
            Run login = berth(engine, "right\n", "login", "-u", "alice", "--password-stdin", "localhost:5000");
            assertThat(login.status()).isZero();
            assertThat(login.out()).isEqualTo("Login Succeeded\n");
            assertThat(engine.requests.getFirst().line()).isEqualTo("POST /v1.43/auth HTTP/1.1");
            assertThat(engine.requests.getFirst().body())
                    .isEqualTo("{\"username\":\"alice\",\"password\":\"right\",\"serveraddress\":\"localhost:5000\"}");
            assertThat(config().path("auths").path("localhost:5000").path("auth").asText())
                    .isEqualTo(Base64.getEncoder().encodeToString("alice:right".getBytes(StandardCharsets.UTF_8)));

            Run logout = berth(engine, "", "logout", "localhost:5000");
            assertThat(logout.status()).isZero();
            assertThat(logout.out()).isEqualTo("Removing login credentials for localhost:5000\n");
            assertThat(config().path("auths").has("localhost:5000")).isFalse();
        }
    }

    @Test
    void rejectedLoginPrintsTheDaemonErrorAndStoresNothing() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, RegistryCommandsTest::loginAnswer)) {
            Run login = berth(engine, "", "login", "-u", "alice", "-p", "wrong", "localhost:5000");
            assertThat(login.status()).isEqualTo(1);
            assertThat(login.err()).contains("WARNING! Using --password via the CLI is insecure. Use --password-stdin.")
                    .contains("Error response from daemon: login attempt to http://localhost:5000/v2/ failed with status: 401 Unauthorized");
            assertThat(Files.exists(dir.resolve("cfg/config.json"))).isFalse();
        }
    }

    @Test
    void loginFlagRules() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, RegistryCommandsTest::loginAnswer)) {
            Run noUser = berth(engine, "pw", "login", "--password-stdin");
            assertThat(noUser.status()).isEqualTo(1);
            assertThat(noUser.err()).contains("Must provide --username with --password-stdin");
            Run both = berth(engine, "pw", "login", "-u", "a", "-p", "x", "--password-stdin");
            assertThat(both.err()).contains("--password and --password-stdin are mutually exclusive");
            Run noTty = berth(engine, "", "login", "-u", "a");
            assertThat(noTty.status()).isEqualTo(1);
            assertThat(noTty.err()).contains("Cannot perform an interactive login from a non TTY device");
            Run badFlag = berth(engine, "", "login", "--nope");
            assertThat(badFlag.status()).isEqualTo(125);
            assertThat(engine.requests).isEmpty();
        }
    }

    @Test
    void loginDefaultsToDockerHub() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, RegistryCommandsTest::loginAnswer)) {
            assertThat(berth(engine, "right", "login", "-u", "bob", "--password-stdin").status()).isZero();
            assertThat(engine.requests.getFirst().body()).contains("\"serveraddress\":\"https://index.docker.io/v1/\"");
            assertThat(config().path("auths").has("https://index.docker.io/v1/")).isTrue();
            assertThat(berth(engine, "", "logout").out()).isEqualTo("Removing login credentials for https://index.docker.io/v1/\n");
            assertThat(config().path("auths").isEmpty()).isTrue();
        }
    }

    @Test
    void pushSendsStoredCredentialsAndPrintsProgress() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> r.line().contains("/auth")
                ? loginAnswer(r)
                : new FakeEngine.Response(200, "application/json",
                        "{\"status\":\"The push refers to repository [localhost:5000/a/b]\"}\n"
                                + "{\"status\":\"Preparing\",\"progressDetail\":{},\"id\":\"3d2430473443\"}\n"
                                + "{\"status\":\"Pushing\",\"progressDetail\":{\"current\":512,\"total\":1024},\"id\":\"3d2430473443\"}\n"
                                + "{\"status\":\"Pushed\",\"progressDetail\":{},\"id\":\"3d2430473443\"}\n"
                                + "{\"status\":\"latest: digest: sha256:ab size: 527\"}\n"
                                + "{\"aux\":{\"Tag\":\"latest\",\"Digest\":\"sha256:ab\",\"Size\":527}}\n"))) {
            berth(engine, "right", "login", "-u", "alice", "--password-stdin", "localhost:5000");
            Run push = berth(engine, "", "push", "localhost:5000/a/b");
            assertThat(push.status()).isZero();
            assertThat(push.out()).isEqualTo("""
                    Using default tag: latest
                    The push refers to repository [localhost:5000/a/b]
                    3d2430473443: Preparing
                    3d2430473443: Pushed
                    latest: digest: sha256:ab size: 527
                    """);
            FakeEngine.Request request = engine.requests.get(1);
            assertThat(request.line()).isEqualTo("POST /v1.43/images/localhost:5000/a/b/push?tag=latest HTTP/1.1");
            assertThat(request.header("X-Registry-Auth")).isEqualTo(new RegistryAuth("alice", "right", "localhost:5000").header());

            Run quiet = berth(engine, "", "image", "push", "-q", "localhost:5000/a/b:v1");
            assertThat(quiet.out()).isEqualTo("localhost:5000/a/b:v1\n");
            assertThat(engine.requests.get(2).line()).isEqualTo("POST /v1.43/images/localhost:5000/a/b/push?tag=v1 HTTP/1.1");

            Run all = berth(engine, "", "push", "--all-tags", "busybox");
            assertThat(all.status()).isZero();
            assertThat(engine.requests.get(3).line()).isEqualTo("POST /v1.43/images/busybox/push?tag= HTTP/1.1");
            assertThat(engine.requests.get(3).header("X-Registry-Auth")).isEqualTo("e30=");

            Run tagAndAll = berth(engine, "", "push", "-a", "busybox:1");
            assertThat(tagAndAll.status()).isEqualTo(1);
            assertThat(tagAndAll.err()).isEqualTo("tag can't be used with --all-tags/-a\n");
        }
    }

    @Test
    void pushStreamErrorIsPrintedPlainly() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> new FakeEngine.Response(200, "application/json",
                "{\"status\":\"The push refers to repository [docker.io/library/busybox]\"}\n"
                        + "{\"errorDetail\":{\"message\":\"denied: requested access to the resource is denied\"},"
                        + "\"error\":\"denied: requested access to the resource is denied\"}\n"))) {
            Run push = berth(engine, "", "push", "busybox:1");
            assertThat(push.status()).isEqualTo(1);
            assertThat(push.err()).isEqualTo("denied: requested access to the resource is denied\n");
        }
    }

    @Test
    void pullOnATerminalRedrawsLayerRowsAndAnErrorEndsIt() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> new FakeEngine.Response(200, "application/json",
                "{\"status\":\"Pulling fs layer\",\"id\":\"aaaaaaaaaaaa\"}\n"
                        + "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":512,\"total\":1024},\"id\":\"aaaaaaaaaaaa\"}\n"
                        + "{\"errorDetail\":{\"message\":\"unexpected EOF\"},\"error\":\"unexpected EOF\"}\n"))) {
            Run pull = berth(engine, true, "", "pull", "busybox:1");
            assertThat(pull.status()).isEqualTo(1);
            // the test JVM's stdout has no window size, so docker's 200 columns apply and the bar is drawn
            assertThat(pull.out()).isEqualTo("\n\u001b[1A\u001b[2K\raaaaaaaaaaaa: Pulling fs layer\r\u001b[1B"
                    + "\u001b[1A\u001b[2K\raaaaaaaaaaaa: Downloading [" + "=".repeat(25) + ">" + " ".repeat(25) + "]     512B/1.024kB\r\u001b[1B");
            assertThat(pull.err()).isEqualTo("unexpected EOF\n");
        }
    }

    @Test
    void pullSendsStoredCredentials() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> r.line().contains("/auth")
                ? loginAnswer(r)
                : new FakeEngine.Response(200, "application/json", "{\"status\":\"Status: Image is up to date for localhost:5000/a:1\"}\n"))) {
            berth(engine, "right", "login", "-u", "alice", "--password-stdin", "https://localhost:5000/v2/");
            assertThat(config().path("auths").has("localhost:5000")).isTrue();
            Run pull = berth(engine, "", "pull", "localhost:5000/a:1");
            assertThat(pull.status()).isZero();
            assertThat(engine.requests.get(1).line()).isEqualTo("POST /v1.43/images/create?fromImage=localhost%3A5000%2Fa&tag=1 HTTP/1.1");
            assertThat(engine.requests.get(1).header("X-Registry-Auth")).isEqualTo(new RegistryAuth("alice", "right", "localhost:5000").header());
            berth(engine, "", "image", "pull", "busybox");
            assertThat(engine.requests.get(2).header("X-Registry-Auth")).isEqualTo("e30=");
        }
    }

    @Test
    void helpListsTheRegistryCommands() throws Exception {
        try (FakeEngine engine = new FakeEngine(dir, r -> new FakeEngine.Response(404, "application/json", "{}"))) {
            String help = berth(engine, "", "--help").out();
            assertThat(help).contains("login", "logout", "push", "Authenticate to a registry", "Upload an image to a registry");
            assertThat(berth(engine, "", "image", "--help").out()).contains("push", "pull");
        }
    }
}
