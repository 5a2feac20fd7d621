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
import org.junit.jupiter.api.io.TempDir;

import io.berth.registry.server.RegistryConfig;
import io.berth.registry.server.RegistryServer;

/**
 * Runs the docker-py test modules under src/test/python (Debian's python3-docker, as a library user would use
 * it: {@code docker.from_env()}) against a real berthd; each Python test is one Docker behaviour.
 */
@Tag("privileged")
class DockerPyTest {
    private static final Path MODULES = Path.of("src/test/python").toAbsolutePath();

    static BerthdProcess daemon;
    static RegistryServer registry;

    @BeforeAll
    static void up(@TempDir Path dir) throws Exception {
        registry = RegistryServer.start(RegistryConfig.loopback(dir.resolve("registry")));
        daemon = DaemonFixture.startWithBusybox("docker-py");
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
        if (registry != null) registry.close();
    }

    @Test
    void engineApiModule() throws Exception {
        runModule("test_engine_api");
    }

    @Test
    void systemAndImagesModule() throws Exception {
        runModule("test_system_images");
    }

    @Test
    void execWaitAndStopModule() throws Exception {
        runModule("test_exec_attach");
    }

    @Test
    void logsModule() throws Exception {
        runModule("test_logs");
    }

    private static void runModule(String module) throws Exception {
        Cmd.Result r = Cmd.run(List.of("/usr/bin/python3", "-W", "ignore", "-m", "unittest", "-v", module),
                Map.of("DOCKER_HOST", daemon.host(), "BERTH_TEST_REGISTRY", "127.0.0.1:" + registry.port(),
                        "PYTHONPATH", MODULES.toString(), "PYTHONDONTWRITEBYTECODE", "1"),
                null, Duration.ofMinutes(5));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("OK");
    }
}
