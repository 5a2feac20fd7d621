package io.berth.network;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

class SubnetChooserTest {
    @Test
    void dockersPoolsInOrder() {
        List<Subnet> c = SubnetChooser.ipv4Candidates();
        assertEquals("172.17.0.0/16", c.get(0).toString());
        assertEquals("172.31.0.0/16", c.get(14).toString());
        assertEquals("192.168.0.0/20", c.get(15).toString());
        assertEquals("192.168.240.0/20", c.get(c.size() - 1).toString());
        assertEquals(31, c.size());
    }

    @Test
    void skipsWhatOverlapsRoutesAndOtherNetworks() {
        assertEquals("172.17.0.0/16", SubnetChooser.chooseIpv4(List.of()).orElseThrow().toString());
        assertEquals("172.19.0.0/16", SubnetChooser.chooseIpv4(List.of(Subnet.parse("172.17.0.0/16"),
                Subnet.parse("172.18.5.0/24"))).orElseThrow().toString());
        assertEquals("192.168.16.0/20", SubnetChooser.chooseIpv4(List.of(Subnet.parse("172.16.0.0/12"),
                Subnet.parse("192.168.1.0/24"))).orElseThrow().toString());
        assertTrue(SubnetChooser.chooseIpv4(List.of(Subnet.parse("172.16.0.0/12"), Subnet.parse("192.168.0.0/16"))).isEmpty());
        assertEquals("fd42:b3e7:7a00:1::/64", SubnetChooser.chooseIpv6(List.of(Subnet.parse("fd42:b3e7:7a00::/64"))).orElseThrow().toString());
    }

    @Test
    void readsProcNetRouteAndIpv6Route() {
        List<Subnet> v4 = HostRoutes.parseIpv4(List.of(
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
                "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
                "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0"));
        assertEquals(List.of(Subnet.parse("192.0.2.0/24"), Subnet.parse("172.17.0.0/16")), v4);
        List<Subnet> v6 = HostRoutes.parseIpv6(List.of(
                "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0",
                "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0"));
        assertEquals(List.of(Subnet.parse("fd00::/64")), v6);
    }
}
