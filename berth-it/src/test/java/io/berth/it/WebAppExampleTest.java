package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The articles' first real example, for real: a Debian base made locally, a Dockerfile whose RUN installs
 * python3-fastapi and python3-uvicorn from Debian's mirror (the build's RUN is on the default bridge network),
 * the app run with -p 8000 and answering curl on the host's loopback, and reaching a "db" container by name on
 * a user network, all through the unmodified docker CLI.
 */
@Tag("privileged")
class WebAppExampleTest {
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        daemon = DaemonFixture.startWithBusybox("webapp");
        DebianBaseImage.ensure(daemon);
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void theWebAppIsBuiltFromDebiansPackagesAndAnswersOnItsPublishedPortAndReachesTheDbByName() throws Exception {
        Path context = Path.of("src/test/resources/webapp").toAbsolutePath();
        Cmd.Result build = Cmd.run(List.of("/usr/local/bin/docker", "build", "-q", "-t", "webapp", context.toString()),
                Map.of("DOCKER_HOST", daemon.host(), "DOCKER_BUILDKIT", "0"), null, Duration.ofMinutes(10));
        assertThat(build.exitCode()).as(build.stderr()).isZero();

        daemon.docker("network", "create", "appnet").orFail();
        // the "database": busybox httpd serving one file, known on the network as db
        daemon.docker("run", "-d", "--name", "db", "--network", "appnet", "busybox", "sh", "-c",
                "mkdir /www && echo rows=42 > /www/index.html && exec httpd -f -p 8080 -h /www").orFail();
        int port = freePort();
        daemon.docker("run", "-d", "--name", "web", "--network", "appnet", "-p", "127.0.0.1:" + port + ":8000", "webapp").orFail();
        try {
            String hello = curlUntilUp("http://127.0.0.1:" + port + "/");
            assertThat(hello).contains("\"hello\":\"berth\"");
            assertThat(daemon.docker("port", "web", "8000").orFail().out()).isEqualTo("127.0.0.1:" + port);
            assertThat(curlUntilUp("http://127.0.0.1:" + port + "/db")).contains("rows=42");
        } finally {
            daemon.docker("logs", "web");
            daemon.docker("rm", "-f", "web", "db");
            daemon.docker("network", "rm", "appnet");
        }
    }

    private static String curlUntilUp(String url) throws Exception {
        Cmd.Result last = null;
        for (int i = 0; i < 120; i++) {
            last = Cmd.run(List.of("curl", "-sS", "--max-time", "5", url), Map.of(), null, Duration.ofSeconds(10));
            if (last.exitCode() == 0 && !last.stdout().isEmpty()) return last.stdout();
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
