package io.berth.network;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;

class NetworkServiceTest {
    @TempDir Path root;
    final List<Subnet> routes = new ArrayList<>();
    final Set<String> interfaces = new HashSet<>();
    final Set<String> used = new HashSet<>();
    final List<String> events = new ArrayList<>();
    NetworkService service;

    @BeforeEach
    void open() {
        service = reopen();
    }

    NetworkService reopen() {
        Path dir = root.resolve("networks");
        return new NetworkService(NetworkStore.open(dir), new AddressAllocator(dir.resolve("ipam")),
                n -> used.contains(n.name()) ? List.of("c1") : List.of(), (a, n) -> events.add(a + " " + n.name()),
                () -> routes, () -> interfaces);
    }

    static NetworkCreateRequest withSubnet(String name, String subnet, String range, String gateway) {
        return new NetworkCreateRequest(name, null, false, false, false, null, null,
                List.of(new IpamConfig(subnet, range, gateway)), null, null);
    }

    @Test
    void aBerth0ADeadDaemonLeftOnTheHostIsNotTakenForTheDefaultBridge() {
        interfaces.add("berth0");
        service.ensurePredefined();
        assertEquals("berth1", service.inspect("bridge").bridgeName());
    }

    @Test
    void predefinedNetworksAsDockerListsThemKeptAcrossRestarts() {
        routes.add(Subnet.parse("172.17.0.0/16")); // dockerd's docker0
        service.ensurePredefined();
        Network bridge = service.inspect("bridge");
        assertEquals("172.18.0.0/16", bridge.ipam().getFirst().subnet());
        assertEquals("172.18.0.1", bridge.ipam().getFirst().gateway());
        assertEquals("berth0", bridge.bridgeName());
        assertFalse(bridge.dnsEnabled());
        assertEquals("host", service.inspect("host").driver());
        assertEquals("null", service.inspect("none").driver());
        routes.clear();
        NetworkService again = reopen();
        again.ensurePredefined();
        assertEquals(bridge, again.inspect("bridge"), "same id and subnet after a restart");
        for (String p : List.of("bridge", "host", "none")) {
            var e = assertThrows(ConflictException.class, () -> again.remove(p));
            assertEquals(p + " is a pre-defined network and cannot be removed", e.getMessage());
        }
    }

    @Test
    void createChoosesSubnetBridgeNameAndDns() {
        service.ensurePredefined();
        interfaces.add("berth1"); // another berthd's bridge
        Network n = service.create(NetworkCreateRequest.named("app"));
        assertEquals("172.18.0.0/16", n.ipam().getFirst().subnet());
        assertEquals("berth2", n.bridgeName());
        assertTrue(n.dnsEnabled());
        assertEquals(64, n.id().length());
        assertEquals("bridge", n.driver());
        assertEquals(List.of("create app"), events);
        Network m = service.create(NetworkCreateRequest.named("app2"));
        assertEquals("172.19.0.0/16", m.ipam().getFirst().subnet());
        assertEquals("berth3", m.bridgeName());
    }

    @Test
    void nameRulesAndDuplicates() {
        for (String bad : new String[] {"a", "-ab", "a b", "a/b", "ä12", ""}) {
            assertThrows(InvalidArgumentException.class, () -> service.create(NetworkCreateRequest.named(bad)), bad);
        }
        service.create(NetworkCreateRequest.named("a.b_c-1"));
        var e = assertThrows(ConflictException.class, () -> service.create(NetworkCreateRequest.named("a.b_c-1")));
        assertEquals("network with name a.b_c-1 already exists", e.getMessage());
    }

    @Test
    void refusesWhatBerthDoesNotApply() {
        var driver = new NetworkCreateRequest("x1", "overlay", false, false, false, null, null, null, null, null);
        assertTrue(assertThrows(InvalidArgumentException.class, () -> service.create(driver)).getMessage()
                .startsWith("berth supports only the bridge driver"));
        var opt = new NetworkCreateRequest("x1", null, false, false, false, null, null, null,
                Map.of("com.docker.network.bridge.enable_icc", "false"), null);
        assertEquals("berth does not support network option \"com.docker.network.bridge.enable_icc\"",
                assertThrows(InvalidArgumentException.class, () -> service.create(opt)).getMessage());
        var ipamDriver = new NetworkCreateRequest("x1", null, false, false, false, "dhcp", null, null, null, null);
        assertThrows(InvalidArgumentException.class, () -> service.create(ipamDriver));
        var mtu = new NetworkCreateRequest("x1", null, false, false, false, null, null, null,
                Map.of(Network.OPT_MTU, "9"), null);
        assertThrows(InvalidArgumentException.class, () -> service.create(mtu));
        var v6NotEnabled = new NetworkCreateRequest("x1", null, false, false, false, null, null,
                List.of(new IpamConfig("fd01::/64", null, null)), null, null);
        assertThrows(InvalidArgumentException.class, () -> service.create(v6NotEnabled));
        assertTrue(service.list((n, u) -> true).isEmpty(), "nothing was made");
    }

    @Test
    void theDaemonsDefaultOptionsFillInWhatACreateDoesNotGiveAndInspectShowsThem() {
        Path dir = root.resolve("networks");
        var withDefaults = new NetworkService(NetworkStore.open(dir), new AddressAllocator(dir.resolve("ipam")),
                n -> List.of(), (a, n) -> {}, () -> routes, () -> interfaces, null, Map.of(Network.OPT_MTU, "65520"));
        withDefaults.ensurePredefined();
        Network plain = withDefaults.create(NetworkCreateRequest.named("plain"));
        assertEquals(65520, plain.mtu().getAsInt());
        assertEquals(Map.of(Network.OPT_MTU, "65520"), plain.options());
        Network own = withDefaults.create(new NetworkCreateRequest("own", null, false, false, false, null, null, null,
                Map.of(Network.OPT_MTU, "1400"), null));
        assertEquals(1400, own.mtu().getAsInt(), "the create's own option wins");
        assertTrue(withDefaults.inspect(Network.DEFAULT_BRIDGE).mtu().isEmpty(), "as dockerd: not the default bridge");
    }

    @Test
    void defaultOptionsAreCheckedAsACreatesAreAndABridgeNameCannotBeOne() {
        assertThrows(InvalidArgumentException.class, () -> NetworkService.checkDefaultOptions(Map.of(Network.OPT_MTU, "9")));
        assertEquals("berth does not support network option \"com.docker.network.bridge.enable_icc\"",
                assertThrows(InvalidArgumentException.class, () -> NetworkService.checkDefaultOptions(
                        Map.of("com.docker.network.bridge.enable_icc", "false"))).getMessage());
        assertTrue(assertThrows(InvalidArgumentException.class, () -> NetworkService.checkDefaultOptions(
                Map.of(Network.OPT_BRIDGE_NAME, "br-x"))).getMessage().contains("cannot be a default"));
        NetworkService.checkDefaultOptions(Map.of(Network.OPT_MTU, "9000"));
    }

    @Test
    void givenSubnetRangeGatewayAndOptions() {
        var rq = new NetworkCreateRequest("given", null, true, true, true, "default", null,
                List.of(new IpamConfig("10.20.0.0/16", "10.20.5.0/24", "10.20.0.254")),
                Map.of(Network.OPT_BRIDGE_NAME, "br-given", Network.OPT_MTU, "1400"), Map.of("a", "b"));
        Network n = service.create(rq);
        assertEquals(new IpamConfig("10.20.0.0/16", "10.20.5.0/24", "10.20.0.254"), n.ipv4().orElseThrow());
        assertEquals("br-given", n.bridgeName());
        assertEquals(1400, n.mtu().getAsInt());
        assertTrue(n.internal() && n.attachable() && n.enableIPv6());
        assertEquals("fd42:b3e7:7a00::/64", n.ipv6().orElseThrow().subnet(), "an IPv6 /64 is chosen");
        assertEquals("fd42:b3e7:7a00::1", n.ipv6().orElseThrow().gateway());
    }

    @Test
    void givenSubnetChecks() {
        service.create(withSubnet("one", "10.30.0.0/16", null, null));
        assertEquals("Pool overlaps with other one on this address space", assertThrows(ConflictException.class,
                () -> service.create(withSubnet("two", "10.30.1.0/24", null, null))).getMessage());
        assertEquals("no matching subnet for gateway 10.31.0.1", assertThrows(InvalidArgumentException.class,
                () -> service.create(withSubnet("two", "10.40.0.0/16", null, "10.31.0.1"))).getMessage());
        assertEquals("no matching subnet for range 10.41.0.0/24", assertThrows(InvalidArgumentException.class,
                () -> service.create(withSubnet("two", "10.40.0.0/16", "10.41.0.0/24", null))).getMessage());
        assertThrows(InvalidArgumentException.class, () -> service.create(withSubnet("two", "10.40.0.0/16", null, "10.40.255.255")));
        assertThrows(InvalidArgumentException.class, () -> service.create(withSubnet("two", null, null, "10.40.0.1")));
        assertThrows(InvalidArgumentException.class, () -> service.create(withSubnet("two", "10.40.0.1/16", null, null)));
    }

    @Test
    void removeRefusedWhileUsedAndPruneSkipsUsedAndPredefined() {
        service.ensurePredefined();
        Network busy = service.create(NetworkCreateRequest.named("busy"));
        service.create(NetworkCreateRequest.named("idle"));
        service.create(NetworkCreateRequest.named("keep"));
        used.add("busy");
        var e = assertThrows(ConflictException.class, () -> service.remove("busy"));
        assertEquals("error while removing network: network busy id " + busy.id() + " has active endpoints", e.getMessage());
        assertEquals(List.of("idle"), service.prune((n, u) -> !n.name().equals("keep")));
        assertEquals(List.of("bridge", "busy", "host", "keep", "none"),
                service.list((n, u) -> true).stream().map(Network::name).toList());
        assertEquals(List.of("keep"), service.list((n, u) -> !u && !n.predefined()).stream().map(Network::name).toList());
        used.clear();
        service.remove(busy.id().substring(0, 12));
        assertTrue(service.list((n, u) -> n.name().equals("busy")).isEmpty());
    }

    @Test
    void removalDropsTheNetworksLeases() {
        Network n = service.create(withSubnet("one", "10.30.0.0/24", null, null));
        service.addresses().allocate(n, "c1", null, null);
        service.remove("one");
        assertTrue(service.addresses().leases(n.id()).isEmpty());
    }

    @Test
    void allocateThroughTheServiceChecksTheNetwork() {
        service.ensurePredefined();
        Network n = service.create(withSubnet("one", "10.30.0.0/24", null, null));
        assertEquals("10.30.0.2", service.allocate("one", "c1", null, null).ipv4());
        assertEquals("10.30.0.9", service.allocate(n.id(), "c2", "10.30.0.9", null).ipv4());
        assertEquals("user specified IP address is supported on user defined networks only",
                assertThrows(InvalidArgumentException.class, () -> service.allocate("bridge", "c3", "172.17.0.9", null)).getMessage());
        assertThrows(InvalidArgumentException.class, () -> service.allocate("host", "c3", null, null));
        service.create(NetworkCreateRequest.named("auto"));
        assertEquals("user specified IP address is supported only when connecting to networks with user configured subnets",
                assertThrows(InvalidArgumentException.class, () -> service.allocate("auto", "c3", "172.18.0.9", null)).getMessage());
        assertEquals("172.18.0.2", service.allocate("auto", "c3", null, null).ipv4());
        assertThrows(io.berth.oci.errors.NotFoundException.class, () -> service.allocate("gone", "c3", null, null));
        service.release(n.id(), "c1");
        service.release("f".repeat(64), "c1");
        assertEquals(java.util.Set.of("c2"), service.addresses().leases(n.id()).keySet());
    }

    @Test
    void berthdKeepsTheDefaultBridgesTopAddressAndContainersStillStartAtTwo() {
        service.ensurePredefined();
        // the default bridge's placeholder: a user could not ask for an address there, berthd takes the top one
        assertEquals("172.17.255.254", service.allocateTop("bridge", "warm").ipv4());
        assertEquals("172.17.0.2", service.allocate("bridge", "c1", null, null).ipv4());
        assertEquals(java.util.Set.of("warm", "c1"), service.addresses().leases(service.inspect("bridge").id()).keySet());
    }

    @Test
    void createdIsGoRfc3339Nano() {
        assertEquals("2026-12-07T12:35:44.26056739Z", NetworkService.rfc3339Nano(java.time.Instant.parse("2026-12-07T12:35:44.260567390Z")));
        assertEquals("2026-12-07T12:35:44Z", NetworkService.rfc3339Nano(java.time.Instant.parse("2026-12-07T12:35:44Z")));
        assertEquals("2026-12-07T12:35:44.5Z", NetworkService.rfc3339Nano(java.time.Instant.parse("2026-12-07T12:35:44.500Z")));
    }
}
