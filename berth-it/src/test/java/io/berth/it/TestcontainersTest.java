package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.DockerComposeContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.output.WaitingConsumer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import com.github.dockerjava.api.DockerClient;

import io.berth.registry.server.RegistryConfig;
import io.berth.registry.server.RegistryServer;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Volume;

/**
 * Testcontainers 1.21 (docker-java underneath) drives berthd as a Java user's test suite drives dockerd: it finds
 * the daemon through DOCKER_HOST, Ryuk is off (its image cannot be pulled here) and images are local only.
 * The surefire execution "testcontainers" (berth-it's pom) gives this class a JVM whose DOCKER_HOST names the
 * socket the daemon below listens on, and whose user.home holds no Testcontainers settings.
 */
@Tag("privileged")
@Tag("testcontainers")
class TestcontainersTest {
    private static final DockerImageName BUSYBOX = DockerImageName.parse("busybox:latest");
    /** Images come from the daemon's store: a pull would go to Docker Hub, which is not reachable. */
    private static final ImagePullPolicy NEVER_PULL = image -> false;
    /** busybox's httpd serving /www on 8080, after printing the marker a log wait strategy looks for. */
    private static final String HTTPD = "mkdir -p /www && printf '%s\\n' \"$GREETING\" > /www/index.html"
            + " && echo 'httpd ready' && exec httpd -f -p 8080 -h /www";

    static BerthdProcess daemon;
    static RegistryServer registry;

    @BeforeAll
    static void up(@TempDir Path registryRoot) throws Exception {
        registry = RegistryServer.start(RegistryConfig.loopback(registryRoot));
        String socket = System.getProperty("berth.testcontainers.socket");
        assertThat(socket).as("run by surefire's 'testcontainers' execution, which sets the socket and DOCKER_HOST").isNotNull();
        assertThat(System.getenv("DOCKER_HOST")).isEqualTo("unix://" + socket);
        daemon = DaemonFixture.startWithBusybox("testcontainers", Path.of(socket));
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
        if (registry != null) registry.close();
    }

    private static GenericContainer<?> busybox() {
        return new GenericContainer<>(BUSYBOX).withImagePullPolicy(NEVER_PULL);
    }

    private static GenericContainer<?> httpd(String greeting) {
        return busybox().withEnv("GREETING", greeting).withCommand("sh", "-c", HTTPD).withExposedPorts(8080);
    }

    @Test
    void exposedPortWithLogAndHttpWaitStrategies() throws Exception {
        try (GenericContainer<?> web = httpd("hello from berth").waitingFor(new WaitAllStrategy()
                .withStrategy(Wait.forLogMessage(".*httpd ready.*\\n", 1))
                .withStrategy(Wait.forHttp("/index.html").forPort(8080).forStatusCode(200))
                .withStartupTimeout(Duration.ofSeconds(60)))) {
            web.start();

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + web.getHost() + ":" + web.getMappedPort(8080) + "/index.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from berth\n");
            assertThat(web.getLogs()).contains("httpd ready");
            assertThat(web.isRunning()).isTrue();
        }
    }

    @Test
    void envAndCommand() throws Exception {
        try (GenericContainer<?> c = busybox().withEnv("ANSWER", "42")
                .withCommand("sh", "-c", "echo \"answer=$ANSWER\"; exec sleep 600")
                .waitingFor(Wait.forLogMessage("answer=42\\n", 1))) {
            c.start();
            assertThat(c.execInContainer("sh", "-c", "echo $ANSWER").getStdout()).isEqualTo("42\n");
        }
    }

    @Test
    void filesCopiedInAndOut(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("hello.sh");
        Files.writeString(script, "#!/bin/sh\necho hello from a copied script\n");
        try (GenericContainer<?> c = busybox().withCommand("sleep", "600")
                .withCopyToContainer(Transferable.of("before start\n"), "/etc/berth/before.txt")) {
            c.start();
            c.copyFileToContainer(MountableFile.forHostPath(script, 0755), "/opt/hello.sh");
            c.copyFileToContainer(Transferable.of("after start\n"), "/tmp/after.txt");

            assertThat(c.execInContainer("cat", "/etc/berth/before.txt", "/tmp/after.txt").getStdout())
                    .isEqualTo("before start\nafter start\n");
            assertThat(c.execInContainer("/opt/hello.sh").getStdout()).isEqualTo("hello from a copied script\n");
            assertThat(c.execInContainer("stat", "-c", "%a", "/opt/hello.sh").getStdout().strip()).isEqualTo("755");

            c.execInContainer("sh", "-c", "echo made inside > /tmp/out.txt");
            String copied = c.copyFileFromContainer("/tmp/out.txt",
                    (InputStream in) -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(copied).isEqualTo("made inside\n");
            Path local = dir.resolve("out.txt");
            c.copyFileFromContainer("/tmp/out.txt", local.toString());
            assertThat(Files.readString(local)).isEqualTo("made inside\n");
        }
    }

    @Test
    void execReportsExitCodeAndBothStreams() throws Exception {
        try (GenericContainer<?> c = busybox().withCommand("sleep", "600")) {
            c.start();
            Container.ExecResult r = c.execInContainer("sh", "-c", "echo to-out; echo to-err >&2; exit 3");
            assertThat(r.getExitCode()).isEqualTo(3);
            assertThat(r.getStdout()).isEqualTo("to-out\n");
            assertThat(r.getStderr()).isEqualTo("to-err\n");
        }
    }

    @Test
    void networkAliasReachesAnotherContainer() throws Exception {
        try (Network net = Network.newNetwork();
                GenericContainer<?> web = httpd("reached by alias").withNetwork(net).withNetworkAliases("web")
                        .waitingFor(Wait.forHttp("/index.html").forPort(8080));
                GenericContainer<?> client = busybox().withNetwork(net).withCommand("sleep", "600")) {
            web.start();
            client.start();
            Container.ExecResult r = client.execInContainer("wget", "-qO-", "http://web:8080/index.html");
            assertThat(r.getExitCode()).as(r.getStderr()).isZero();
            assertThat(r.getStdout()).isEqualTo("reached by alias\n");
        }
    }

    @Test
    void hostDirectoryBoundReadWrite(@TempDir Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("from-host.txt"), "from the host\n");
        try (GenericContainer<?> c = busybox().withFileSystemBind(dir.toString(), "/shared", BindMode.READ_WRITE)
                .withCommand("sh", "-c", "cat /shared/from-host.txt > /shared/from-container.txt && echo done; exec sleep 600")
                .waitingFor(Wait.forLogMessage("done\\n", 1))) {
            c.start();
            assertThat(Files.readString(dir.resolve("from-container.txt"))).isEqualTo("from the host\n");
        }
    }

    @Test
    void namedVolumeOutlivesItsWriter() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        String volume = docker.createVolumeCmd().withName("tc-data-" + System.nanoTime()).exec().getName();
        try {
            try (GenericContainer<?> writer = busybox()
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(new Bind(volume, new Volume("/data"))))
                    .withCommand("sh", "-c", "echo kept > /data/file && echo written; exec sleep 600")
                    .waitingFor(Wait.forLogMessage("written\\n", 1))) {
                writer.start();
            }
            try (GenericContainer<?> reader = busybox()
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(new Bind(volume, new Volume("/data"))))
                    .withCommand("sleep", "600")) {
                reader.start();
                assertThat(reader.execInContainer("cat", "/data/file").getStdout()).isEqualTo("kept\n");
            }
        } finally {
            docker.removeVolumeCmd(volume).exec();
        }
    }

    @Test
    void defaultWaitChecksTheListeningPortInsideAndOutside() throws Exception {
        // no wait strategy: Testcontainers' default for exposed ports, a shell loop exec'd inside (grep of
        // /proc/net/tcp*, nc) and a connect from outside to the mapped port
        try (GenericContainer<?> web = httpd("default wait")) {
            web.start();
            assertThat(web.isRunning()).isTrue();
            assertThat(web.getContainerInfo().getNetworkSettings().getPorts().getBindings()).isNotEmpty();
        }
    }

    @Test
    void oneShotContainerWithALogConsumerAndSeparateStreams() throws Exception {
        ToStringConsumer consumer = new ToStringConsumer();
        try (GenericContainer<?> c = busybox().withCommand("sh", "-c", "echo to-out; echo to-err >&2")
                .withLogConsumer(consumer)
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)))) {
            c.start();
            assertThat(c.getLogs(OutputFrame.OutputType.STDOUT)).isEqualTo("to-out\n");
            assertThat(c.getLogs(OutputFrame.OutputType.STDERR)).isEqualTo("to-err\n");
            assertThat(c.getCurrentContainerInfo().getState().getExitCodeLong()).isZero();
        }
        assertThat(consumer.toUtf8String()).contains("to-out", "to-err");
    }

    @Test
    void healthcheckWaitStrategy() throws Exception {
        HealthCheck check = new HealthCheck().withTest(List.of("CMD-SHELL", "test -f /tmp/ready"))
                .withInterval(Duration.ofMillis(300).toNanos()).withTimeout(Duration.ofSeconds(5).toNanos()).withRetries(30);
        try (GenericContainer<?> c = busybox().withCommand("sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 600")
                .withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(check))
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(60)))) {
            c.start();
            assertThat(c.getCurrentContainerInfo().getState().getHealth().getStatus()).isEqualTo("healthy");
        }
    }

    @Test
    void imageFromDockerfileIsBuiltAndRun() throws Exception {
        ImageFromDockerfile image = new ImageFromDockerfile("berth-tc-built:" + System.nanoTime(), true)
                .withDockerfileFromBuilder(b -> b.from("busybox:latest").run("echo built by berthd > /built.txt")
                        .cmd("cat", "/built.txt").build());
        try (GenericContainer<?> c = new GenericContainer<>(image)
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)))) {
            c.start();
            assertThat(c.getLogs()).isEqualTo("built by berthd\n");
        }
    }

    @Test
    void tmpfsWorkingDirectoryLabelsAndExecAsAnotherUser() throws Exception {
        try (GenericContainer<?> c = busybox().withTmpFs(Map.of("/scratch", "rw,size=1m")).withWorkingDirectory("/scratch")
                .withLabel("team", "berth").withCommand("sleep", "600")) {
            c.start();
            assertThat(c.execInContainer("pwd").getStdout()).isEqualTo("/scratch\n");
            assertThat(c.execInContainer("sh", "-c", "grep ' /scratch ' /proc/mounts").getStdout()).startsWith("tmpfs /scratch tmpfs rw");
            assertThat(c.execInContainerWithUser("nobody", "id", "-u").getStdout()).isEqualTo("65534\n");
            assertThat(c.getContainerInfo().getConfig().getLabels()).containsEntry("team", "berth")
                    .containsEntry("org.testcontainers", "true");
        }
    }

    @Test
    void aDirectoryCopiedIn(@TempDir Path dir) throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("a.txt"), "a\n");
        Files.writeString(tree.resolve("sub/b.txt"), "b\n");
        try (GenericContainer<?> c = busybox().withCommand("sleep", "600")
                .withCopyFileToContainer(MountableFile.forHostPath(tree), "/opt/tree")) {
            c.start();
            assertThat(c.execInContainer("cat", "/opt/tree/a.txt", "/opt/tree/sub/b.txt").getStdout()).isEqualTo("a\nb\n");
        }
    }

    @Test
    void aFileBoundReadOnly(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("app.conf");
        Files.writeString(conf, "mode=test\n");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (GenericContainer<?> c = busybox().withFileSystemBind(conf.toString(), "/etc/app.conf", BindMode.READ_ONLY)
                .withCommand("sleep", "600")) {
            c.start();
            assertThat(c.execInContainer("cat", "/etc/app.conf").getStdout()).isEqualTo("mode=test\n");
            Container.ExecResult write = c.execInContainer("sh", "-c", "echo changed > /etc/app.conf");
            assertThat(write.getExitCode()).isNotZero();
            assertThat(write.getStderr()).contains("Read-only file system");
            assertThat(Files.readString(conf)).isEqualTo("mode=test\n");
        }
    }

    @Test
    void followedOutputIsWaitedFor() throws Exception {
        WaitingConsumer waiting = new WaitingConsumer();
        try (GenericContainer<?> c = busybox().withCommand("sh", "-c", "sleep 1; echo tick one; sleep 1; echo tick two; exec sleep 600")) {
            c.start();
            c.followOutput(waiting, OutputFrame.OutputType.STDOUT);
            waiting.waitUntil(f -> f.getUtf8String().contains("tick two"), 30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(c.getLogs()).isEqualTo("tick one\ntick two\n");
        }
    }

    @Test
    void aNamedContainerAndItsAddressOnANetwork() throws Exception {
        String name = "tc-named-" + System.nanoTime();
        try (Network net = Network.newNetwork();
                GenericContainer<?> c = busybox().withNetwork(net).withNetworkAliases("db", "store")
                        .withCreateContainerCmdModifier(cmd -> cmd.withName(name)).withCommand("sleep", "600")) {
            c.start();
            assertThat(c.getContainerName()).isEqualTo("/" + name);
            var endpoint = c.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next();
            assertThat(endpoint.getAliases()).contains("db", "store");
            assertThat(endpoint.getIpAddress()).isNotEmpty();
            assertThat(c.execInContainer("sh", "-c", "ip -4 -o addr show eth0").getStdout()).contains(endpoint.getIpAddress() + "/");
            // a second container of the same name is Docker's conflict
            try (GenericContainer<?> twin = busybox().withCreateContainerCmdModifier(cmd -> cmd.withName(name)).withCommand("sleep", "600")
                    .withStartupAttempts(1)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(twin::start).hasStackTraceContaining("Conflict");
            }
        }
    }

    @Test
    void aComposeProjectThroughTheLocalDockerCompose(@TempDir Path dir) throws Exception {
        // DockerComposeContainer with the local docker-compose (Debian's 1.29, from the setup script): Testcontainers
        // hands it DOCKER_HOST, then finds the services' containers by Compose's labels
        Path compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, """
                version: "3"
                services:
                  web:
                    image: busybox:latest
                    command: ["sh", "-c", "mkdir -p /www && echo from compose > /www/index.html && echo web up && exec httpd -f -p 8080 -h /www"]
                  client:
                    image: busybox:latest
                    command: ["sleep", "600"]
                """);
        try (DockerComposeContainer<?> env = new DockerComposeContainer<>(compose.toFile()).withLocalCompose(true)
                .waitingFor("web_1", Wait.forLogMessage(".*web up.*\\n", 1))) {
            env.start();
            ContainerState client = env.getContainerByServiceName("client_1").orElseThrow();
            Container.ExecResult r = client.execInContainer("wget", "-qO-", "http://web:8080/index.html");
            assertThat(r.getExitCode()).as(r.getStderr()).isZero();
            assertThat(r.getStdout()).isEqualTo("from compose\n");
        }
    }

    @Test
    void anImageMissingLocallyIsPulledFromARegistry() throws Exception {
        // Testcontainers' default pull policy: not in the daemon's images, so pulled (/images/create) from the
        // registry its name says, here berth's own on loopback
        String ref = "127.0.0.1:" + registry.port() + "/tc/busybox:pulled";
        daemon.docker("tag", "busybox:latest", ref).orFail();
        daemon.docker("push", ref).orFail();
        daemon.docker("rmi", ref).orFail();
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(ref)).withCommand("sleep", "600")) {
            c.start();
            assertThat(c.execInContainer("echo", "pulled").getStdout()).isEqualTo("pulled\n");
        }
        assertThat(daemon.docker("image", "inspect", ref).exitCode()).isZero();
    }

    @Test
    void containersStartedInParallel() throws Exception {
        List<GenericContainer<?>> webs = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) webs.add(httpd("web " + i).waitingFor(Wait.forHttp("/index.html").forPort(8080)));
        try {
            Startables.deepStart(webs).join();
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < webs.size(); i++) {
                GenericContainer<?> w = webs.get(i);
                String body = http.send(HttpRequest.newBuilder(URI.create("http://" + w.getHost() + ":" + w.getMappedPort(8080)
                        + "/index.html")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(body).isEqualTo("web " + i + "\n");
            }
        } finally {
            webs.forEach(GenericContainer::stop);
        }
    }
}
