package io.berth.network.runtime;

import io.berth.runtime.Container;
import io.berth.runtime.ContainerPaths;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.ContainerState;
import io.berth.runtime.NetworkSpec;
import io.berth.runtime.StepRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default bridge stays up with its gateway address while berthd runs, as dockerd's docker0 does, against the
 * real kernel and netavark. The default network here is 10.201.77.0/24 on bridge berth-t77; a user network
 * 10.201.78.0/24 on berth-t78.
 */
@Tag("privileged")
class DefaultBridgeAnchorPrivilegedTest {
    private static final String BRIDGE = "berth-t77";
    private static final String USER_BRIDGE = "berth-t78";

    @TempDir
    Path tmp;
    private Path execRoot;
    private final InMemoryNetworks networks = new InMemoryNetworks();
    private final List<Container> started = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private NetworkSteps steps;

    @BeforeEach
    void setUp() throws IOException {
        execRoot = tmp.resolve("exec");
        networks.add(NetworkSpec.DEFAULT_BRIDGE, BRIDGE, "10.201.77", false);
        networks.add("t78", USER_BRIDGE, "10.201.78", false);
        steps = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
    }

    @AfterEach
    void cleanUp() throws Exception {
        servers.forEach(Process::destroyForcibly);
        for (Container c : started) steps.step().tearDown(new StepRun(c));
        steps.defaultBridgeAnchor().down();
        for (String b : List.of(BRIDGE, USER_BRIDGE)) sh("ip", "link", "del", b);
    }

    @Test
    void theGatewayStaysWhileNoContainerIsOnTheDefaultBridgeAndReachesPortsOfOtherNetworks() throws Exception {
        steps.defaultBridgeAnchor().up();
        assertThat(sh("ip", "-br", "addr", "show", BRIDGE)).contains("10.201.77.1/24");

        // a container on the default bridge comes and goes: the bridge and its address stay
        Container onBridge = container("b", NetworkSpec.DEFAULT_BRIDGE, List.of());
        steps.step().setUp(new StepRun(onBridge));
        steps.step().tearDown(new StepRun(onBridge));
        assertThat(sh("ip", "-br", "addr", "show", BRIDGE)).contains("10.201.77.1/24");

        // Testcontainers in a container connects to published ports at the default bridge's gateway, whatever
        // network the container is on
        Container web = container("web", "t78", List.of(new NetworkSpec.PortBinding(80, "tcp", "", 0)));
        steps.step().setUp(new StepRun(web));
        NetworkStatus s = NetworkStatusReader.read(web.paths().runDir()).orElseThrow();
        Path www = tmp.resolve("www");
        Files.createDirectories(www);
        Files.writeString(www.resolve("index.html"), "through the default gateway\n");
        servers.add(new ProcessBuilder("nsenter", "--net=" + s.netns(), "busybox", "httpd", "-f", "-p", "80", "-h", www.toString())
                .redirectErrorStream(true).start());
        assertThat(get("http://10.201.77.1:" + s.ports().getFirst().hostPort() + "/")).isEqualTo("through the default gateway\n");
    }

    @Test
    void downRemovesTheBridgeItsRulesTheLeaseAndTheNamespace() throws Exception {
        steps.defaultBridgeAnchor().up();
        assertThat(sh("iptables", "-t", "nat", "-S")).contains("10.201.77.0/24");
        steps.defaultBridgeAnchor().down();
        assertThat(sh("ip", "link")).doesNotContain(BRIDGE + ":");
        assertThat(sh("iptables", "-t", "nat", "-S")).doesNotContain("10.201.77.");
        assertThat(sh("iptables", "-S")).doesNotContain("10.201.77.");
        assertThat(networks.leaseCount()).isZero();
        assertThat(execRoot.resolve("bridge-anchor/netns")).doesNotExist();
    }

    @Test
    void aDaemonStartedAfterAKillTakesTheOldAnchorsPlace() throws Exception {
        steps.defaultBridgeAnchor().up();
        // berthd killed: nothing was torn down; the next berthd's anchor replaces the old one
        NetworkSteps restarted = NetworkSteps.create(execRoot, networks, networks, id -> java.util.OptionalInt.empty(), id -> "container " + id);
        restarted.defaultBridgeAnchor().up();
        assertThat(sh("ip", "-br", "link", "show", "master", BRIDGE).lines().filter(l -> !l.isBlank())).hasSize(1);
        assertThat(sh("ip", "-br", "addr", "show", BRIDGE)).contains("10.201.77.1/24");
        restarted.defaultBridgeAnchor().down();
        assertThat(sh("ip", "link")).doesNotContain(BRIDGE + ":");
        assertThat(networks.leaseCount()).isZero();
    }

    private static String get(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    private Container container(String name, String network, List<NetworkSpec.PortBinding> ports) {
        String id = (name + "0123456789abcdef".repeat(4)).substring(0, 64);
        NetworkSpec spec = new NetworkSpec("", network, List.of(new NetworkSpec.Attachment(network, "", List.of(), "", "", "")),
                ports, List.of(), false, List.of(), List.of(), List.of(), List.of());
        Container c = new Container(ContainerSpec.builder(id).name(name).network(spec).build(), name, ContainerState.created(), 0,
                "crun", 0, false, ContainerPaths.of(tmp.resolve("data"), execRoot, id));
        started.add(c);
        return c;
    }

    private static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
