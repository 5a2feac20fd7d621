package io.berth.network.runtime;

import io.berth.oci.errors.SystemFailureException;
import io.berth.runtime.HostCommand;
import io.berth.runtime.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts of the network runtime: netavark's JSON, records, port picking, resolv.conf. */
class NetworkRuntimeUnitTest {
    @TempDir
    Path tmp;

    @Test
    void optionsAreWrittenInNetavarksSnakeCaseWithoutNullsAndNetworksAreIsolated() throws Exception {
        var f = new NetworkCatalog.NetworkFacts("ab".repeat(32), "web", "berth1",
                List.of(new NetworkCatalog.Subnet("10.201.3.0/24", "10.201.3.1")), false, false, true, 1400, Map.of());
        var options = new NetavarkJson.Options("c".repeat(64), "app",
                Map.of("web", Endpoints.perNetwork("c".repeat(64), new NetworkSpec.Attachment("web", f.id(), List.of("db"), "", "", ""), f, "eth0", List.of("10.201.3.2"))),
                Map.of("web", Endpoints.network(f)),
                List.of(new NetavarkJson.PortMapping(80, "", 8080, "tcp", 1)), null);
        String json = NetavarkJson.MAPPER.writeValueAsString(options);
        assertThat(json).contains("\"container_id\":\"" + "c".repeat(64) + "\"", "\"container_name\":\"app\"",
                "\"interface_name\":\"eth0\"", "\"static_ips\":[\"10.201.3.2\"]", "\"aliases\":[\"db\",\"cccccccccccc\"]",
                "\"network_interface\":\"berth1\"", "\"dns_enabled\":true", "\"ipv6_enabled\":false",
                "\"ipam_options\":{\"driver\":\"host-local\"}", "\"options\":{\"isolate\":\"true\",\"mtu\":\"1400\"}",
                "\"subnets\":[{\"subnet\":\"10.201.3.0/24\",\"gateway\":\"10.201.3.1\"}]",
                "\"port_mappings\":[{\"container_port\":80,\"host_ip\":\"\",\"host_port\":8080,\"protocol\":\"tcp\",\"range\":1}]")
                .doesNotContain("static_mac", "dns_servers", "null");
        assertThat(NetavarkJson.MAPPER.readValue(json, NetavarkJson.Options.class)).isEqualTo(options);
    }

    @Test
    void setupsAnswerBecomesAnEndpoint() throws Exception {
        // netavark 1.4's answer on this machine, verbatim
        String answer = "{\"tnet\":{\"dns_search_domains\":[\"dns.podman\"],\"dns_server_ips\":[\"10.201.9.1\"],\"interfaces\":{\"eth0\":"
                + "{\"mac_address\":\"66:01:6c:0e:27:11\",\"subnets\":[{\"gateway\":\"10.201.9.1\",\"ipnet\":\"10.201.9.2/24\"}]}}}}";
        Map<String, NetavarkJson.StatusBlock> status = NetavarkJson.MAPPER.readValue(answer,
                new com.fasterxml.jackson.core.type.TypeReference<>() {});
        var f = new NetworkCatalog.NetworkFacts("1".repeat(64), "tnet", "berth-t9",
                List.of(new NetworkCatalog.Subnet("10.201.9.0/24", "10.201.9.1")), false, false, true, 0, Map.of());
        var e = Endpoints.endpoint(f, new NetworkSpec.Attachment("tnet", f.id(), List.of("a1"), "", "", ""), "d".repeat(64), "eth0", status.get("tnet"));
        assertThat(e).isEqualTo(new NetworkStatus.Endpoint("tnet", f.id(), "10.201.9.2", 24, "10.201.9.1", "", 0, "",
                "66:01:6c:0e:27:11", List.of("a1"), List.of("a1", "dddddddddddd")));
    }

    @Test
    void netavarksErrorMessageIsTheOneShown() {
        var r = new HostCommand.Result(1, "{\"error\":\"IO error: failed to create aardvark-dns directory\"}", "");
        assertThat(Netavark.message(r)).isEqualTo("IO error: failed to create aardvark-dns directory");
        assertThat(Netavark.message(new HostCommand.Result(2, "", "boom\n"))).isEqualTo("boom");
    }

    @Test
    void recordsRoundTripAndDeleteIsIdempotent() throws Exception {
        NetworkRecords r = new NetworkRecords(tmp);
        assertThat(r.readTeardown()).isEmpty();
        r.delete();
        var t = new NetworkRecords.Teardown("/x/netns/a", List.of("n1"), null);
        r.writeTeardown(t);
        assertThat(r.readTeardown()).contains(t);
        var s = new NetworkStatus("/x/netns/a", List.of(), List.of(new NetworkStatus.Port(80, "tcp", "", 32768)));
        r.writeStatus(s);
        assertThat(NetworkStatusReader.read(tmp)).contains(s);
        assertThat(NetworkStatusReader.counterBaseline(tmp)).as("a namespace made for the container: none").isEmpty();
        r.delete();
        assertThat(NetworkStatusReader.read(tmp)).isEmpty();
        assertThat(Files.exists(tmp.resolve("network"))).isFalse();
    }

    @Test
    void theCountersAtAHandOverAreKeptWithTheStatusAndGoWithTheirInterface() throws Exception {
        String netDev = """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
                  eth0:    5066      41    0    0    0     0          0         0     1306      15    0    0    0     0       0          0
                  eth1:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
                """;
        NetworkRecords r = new NetworkRecords(tmp);
        r.writeStatus(new NetworkStatus("/x/netns/a", List.of(), List.of(), netDev));
        assertThat(NetworkStatusReader.counterBaseline(tmp)).contains(netDev);
        NetworkStatus without = r.readStatus().orElseThrow().withNetworks(List.of()).withoutCounters("eth0");
        assertThat(without.counters()).contains("eth1:").contains("lo:").doesNotContain("eth0:");
    }

    @Test
    void portZeroGetsAnEphemeralPortAndATakenPortFailsWithDockersMessage() throws Exception {
        PortReservations ports = new PortReservations();
        var picked = ports.reserve("a", List.of(new NetworkStatus.Port(80, "tcp", "127.0.0.1", 0),
                new NetworkStatus.Port(53, "udp", "127.0.0.1", 0)));
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim().split("\\s+");
        for (var p : picked) assertThat(p.hostPort()).isBetween(Integer.parseInt(range[0]), Integer.parseInt(range[1]));
        int taken = picked.getFirst().hostPort();
        assertThatThrownBy(() -> ports.reserve("b", List.of(new NetworkStatus.Port(81, "tcp", "127.0.0.1", taken))))
                .isInstanceOf(SystemFailureException.class)
                .hasMessage("Bind for 127.0.0.1:" + taken + " failed: port is already allocated");
        // the same container asking again (a restart) gets its own port back
        assertThat(ports.reserve("a", List.of(new NetworkStatus.Port(80, "tcp", "127.0.0.1", taken))).getFirst().hostPort()).isEqualTo(taken);
        ports.release("a");
        assertThat(ports.reserve("b", List.of(new NetworkStatus.Port(81, "tcp", "127.0.0.1", taken))).getFirst().hostPort()).isEqualTo(taken);
        ports.release("b");
    }

    @Test
    void aPortAHostProgramListensOnIsRefused() throws Exception {
        try (ServerSocketChannel host = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            int port = ((InetSocketAddress) host.getLocalAddress()).getPort();
            PortReservations ports = new PortReservations();
            assertThatThrownBy(() -> ports.reserve("a", List.of(new NetworkStatus.Port(80, "tcp", "127.0.0.1", port))))
                    .hasMessageContaining("failed to bind port 127.0.0.1:" + port + "/tcp").hasMessageContaining("address already in use");
        }
    }

    @Test
    void publishAllAddsEveryExposedPortWithoutABinding() {
        NetworkSpec spec = new NetworkSpec("", "web", List.of(), List.of(new NetworkSpec.PortBinding(80, "tcp", "", 8080)),
                List.of("80/tcp", "443/tcp", "53/udp"), true, List.of(), List.of(), List.of(), List.of());
        assertThat(NetworkStep.published(spec)).containsExactly(new NetworkStatus.Port(80, "tcp", "", 8080),
                new NetworkStatus.Port(443, "tcp", "", 0), new NetworkStatus.Port(53, "udp", "", 0));
    }

    @Test
    void resolvConfAsDockerWritesIt() {
        var host = ResolvConf.parse("# x\nnameserver 127.0.0.53\nnameserver 10.0.0.53\nsearch corp.example\noptions edns0\n");
        assertThat(ResolvConf.build(host, List.of("10.201.3.1"), false, List.of("9.9.9.9"), List.of(), List.of()))
                .isEqualTo("search corp.example\nnameserver 10.201.3.1\noptions edns0 ndots:0\n");
        assertThat(ResolvConf.build(host, List.of(), false, List.of(), List.of(), List.of()))
                .isEqualTo("search corp.example\nnameserver 10.0.0.53\noptions edns0\n");
        assertThat(ResolvConf.build(host, List.of(), false, List.of("1.1.1.1"), List.of("a.example"), List.of("ndots:2")))
                .isEqualTo("search a.example\nnameserver 1.1.1.1\noptions ndots:2\n");
        assertThat(ResolvConf.build(host, List.of(), true, List.of(), List.of(), List.of()))
                .isEqualTo("search corp.example\nnameserver 127.0.0.53\nnameserver 10.0.0.53\noptions edns0\n");
        assertThat(ResolvConf.build(ResolvConf.parse("nameserver 127.0.0.1\n"), List.of(), false, List.of(), List.of("."), List.of()))
                .isEqualTo("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
    }
}
