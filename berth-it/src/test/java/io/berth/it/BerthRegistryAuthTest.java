package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.berth.registry.server.RegistryConfig;
import io.berth.registry.server.RegistryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth login / push / pull against berth's registry with token auth: a pull-only user cannot push. */
@Tag("privileged")
class BerthRegistryAuthTest {
    static BerthdProcess daemon;
    static RegistryServer registry;
    @TempDir
    static Path dir;

    @BeforeAll
    static void up() throws Exception {
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, "alice:" + hash("secret") + "\nbob:" + hash("reader") + "\n");
        Path access = dir.resolve("access");
        Files.writeString(access, "alice * pull,push,delete\nbob * pull\n");
        registry = RegistryServer.start(RegistryConfig.loopback(dir.resolve("root"))
                .withAuth(new RegistryConfig.Auth.Token(htpasswd, access, "berth-test", null)));
        daemon = DaemonFixture.startWithBusybox("regauth");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
        if (registry != null) registry.close();
    }

    private static String hash(String password) {
        return new String(BCrypt.withDefaults().hash(6, password.toCharArray()), StandardCharsets.UTF_8);
    }

    private Cmd.Result berth(Path config, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.berth.cli.Main"));
        cmd.addAll(java.util.List.of(args));
        return Cmd.run(cmd, Map.of("BERTH_HOST", daemon.host(), "DOCKER_CONFIG", config.toString()), null,
                java.time.Duration.ofSeconds(120));
    }

    @Test
    void loginPushPullAndPullOnlyUserCannotPush() throws Exception {
        String host = "127.0.0.1:" + registry.port();
        Path aliceConfig = Files.createDirectories(dir.resolve("alice"));
        Path bobConfig = Files.createDirectories(dir.resolve("bob"));

        Cmd.Result wrong = berth(aliceConfig, "login", "-u", "alice", "-p", "nope", host);
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.stderr()).containsIgnoringCase("unauthorized");

        assertThat(berth(aliceConfig, "login", "-u", "alice", "-p", "secret", host).orFail().out()).contains("Login Succeeded");
        assertThat(Files.readString(aliceConfig.resolve("config.json"))).contains(host);
        daemon.cli("tag", "busybox", host + "/team/app:1").orFail();
        assertThat(berth(aliceConfig, "push", host + "/team/app:1").orFail().out()).contains("digest: sha256:");

        berth(bobConfig, "login", "-u", "bob", "-p", "reader", host).orFail();
        daemon.cli("rmi", host + "/team/app:1").orFail();
        berth(bobConfig, "pull", host + "/team/app:1").orFail();
        daemon.cli("tag", "busybox", host + "/team/other:1").orFail();
        Cmd.Result denied = berth(bobConfig, "push", host + "/team/other:1");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr()).isNotBlank();

        Cmd.Result anonymous = daemon.cli("pull", host + "/team/app:1");
        assertThat(anonymous.exitCode()).as(anonymous.stdout() + " | " + anonymous.stderr()).isNotZero();
    }
}
