package io.berth.network.runtime;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure part of {@link NeighbourTcp}: when it applies, and ip's batch lines from netavark's answer. */
class NeighbourTcpTest {
    @Test
    void onlyAHostDefaultOfBbrIsReplacedAndOnlyWhenCubicIsAvailable() {
        assertThat(NeighbourTcp.wanted("bbr", "reno bbr cubic\n")).isTrue();
        assertThat(NeighbourTcp.wanted("cubic", "reno bbr cubic")).isFalse();
        assertThat(NeighbourTcp.wanted("dctcp", "reno cubic dctcp")).as("another choice of the host's is left alone").isFalse();
        assertThat(NeighbourTcp.wanted("bbr", "reno bbr")).isFalse();
    }

    @Test
    void eachIpv4AddressGivesItsKernelPrefixRouteWithCubicAndIpv6AndOddNamesNone() {
        Map<String, NetavarkJson.StatusBlock> result = new LinkedHashMap<>();
        result.put("web", new NetavarkJson.StatusBlock(null, null, Map.of("eth0", new NetavarkJson.NetInterface("aa:bb:cc:dd:ee:ff",
                List.of(new NetavarkJson.NetAddress("172.23.0.1", "172.23.0.2/16"), new NetavarkJson.NetAddress("fd00::1", "fd00::2/64"))))));
        result.put("db", new NetavarkJson.StatusBlock(null, null, Map.of("eth1", new NetavarkJson.NetInterface("aa:bb:cc:dd:ee:00",
                List.of(new NetavarkJson.NetAddress("10.89.3.1", "10.89.3.77/24"))))));
        result.put("odd", new NetavarkJson.StatusBlock(null, null, Map.of("eth2\nroute flush", new NetavarkJson.NetInterface("aa:bb:cc:dd:ee:01",
                List.of(new NetavarkJson.NetAddress("10.89.4.1", "10.89.4.2/24"))))));
        assertThat(NeighbourTcp.routes(result)).containsExactly(
                "route replace 172.23.0.0/16 dev eth0 proto kernel scope link src 172.23.0.2 congctl cubic",
                "route replace 10.89.3.0/24 dev eth1 proto kernel scope link src 10.89.3.77 congctl cubic");
    }
}
