package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The MTU of a network's bridge and of its containers' interfaces: {@code -o com.docker.network.driver.mtu} on a
 * create, and the daemon's {@code --default-network-opt bridge=com.docker.network.driver.mtu=N} for networks
 * created without it (as dockerd's default-network-opts; the default bridge keeps 1500, as dockerd's does). A
 * larger MTU is what brings container-to-container throughput near the host's loopback (docs/benchmarks.md).
 */
@Tag("privileged")
class NetworkMtuTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static BerthdProcess daemon;

    @BeforeAll
    static void up() throws Exception {
        StaleTestState.clearOnce();
        Path root = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-mtu-");
        daemon = new BerthdProcess(root).withArgs("--default-network-opt", "bridge=com.docker.network.driver.mtu=9000").start();
        daemon.cli("image", "make-busybox", "busybox:latest").orFail();
    }

    @AfterAll
    static void down() throws Exception {
        DaemonFixture.stop(daemon);
    }

    @Test
    void aNetworkCreatedWithoutAnMtuGetsTheDaemonsDefaultOnItsBridgeAndItsContainers() throws Exception {
        daemon.docker("network", "create", "mtu-default").orFail();
        daemon.docker("network", "create", "-o", "com.docker.network.driver.mtu=1400", "mtu-own").orFail();
        try {
            JsonNode n = JSON.readTree(daemon.docker("network", "inspect", "mtu-default").orFail().stdout()).get(0);
            assertThat(n.get("Options").toString()).isEqualTo("{\"com.docker.network.driver.mtu\":\"9000\"}");
            String subnet = n.get("IPAM").get("Config").get(0).get("Subnet").asText();

            daemon.docker("run", "-d", "--name", "mtu-c", "--network", "mtu-default", "busybox", "sleep", "600").orFail();
            assertThat(daemon.docker("exec", "mtu-c", "cat", "/sys/class/net/eth0/mtu").orFail().out()).isEqualTo("9000");
            String bridge = bridgeOf(subnet);
            assertThat(Files.readString(Path.of("/sys/class/net", bridge, "mtu")).trim()).as(bridge).isEqualTo("9000");

            assertThat(daemon.docker("run", "--rm", "--network", "mtu-own", "busybox", "cat", "/sys/class/net/eth0/mtu")
                    .orFail().out()).as("the create's own option wins").isEqualTo("1400");
            assertThat(daemon.docker("run", "--rm", "busybox", "cat", "/sys/class/net/eth0/mtu").orFail().out())
                    .as("the default bridge keeps Docker's 1500").isEqualTo("1500");
        } finally {
            daemon.docker("rm", "-f", "mtu-c");
            daemon.docker("network", "rm", "mtu-default", "mtu-own");
        }
    }

    @Test
    void aDefaultOptionACreateWouldRefuseStopsTheDaemonAtStart() throws Exception {
        Path root = Files.createTempDirectory(Path.of("/var/tmp"), "berth-it-mtu-bad-");
        BerthdProcess bad = new BerthdProcess(root).withArgs("--default-network-opt", "bridge=com.docker.network.driver.mtu=40");
        try {
            assertThat(bad.startExpectingExit()).isNotZero();
            assertThat(Files.readString(bad.log)).contains("default network options: invalid MTU 40");
        } finally {
            Cmd.run(List.of("rm", "-rf", root.toString()), Map.of(), null, Duration.ofSeconds(60));
        }
    }

    /** The host interface that routes {@code subnet}: the network's bridge. */
    private static String bridgeOf(String subnet) throws Exception {
        String route = Cmd.run(List.of("ip", "-o", "route", "show", subnet), Map.of(), null, Duration.ofSeconds(10)).orFail().out();
        String[] words = route.split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) if (words[i].equals("dev")) return words[i + 1];
        throw new AssertionError("no route to " + subnet + ": " + route);
    }
}
