package io.berth.network.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which address the default bridge's anchor holds (the rest of its life: DefaultBridgeAnchorPrivilegedTest). */
class DefaultBridgeAnchorTest {
    @Test
    void theAnchorHoldsTheSubnetsLastHostAddress() {
        assertThat(DefaultBridgeAnchor.lastHost(io.berth.network.Subnet.parse("172.17.0.0/16"), "172.17.0.1")).isEqualTo("172.17.255.254");
        assertThat(DefaultBridgeAnchor.lastHost(io.berth.network.Subnet.parse("fd42:b3e7:7a00::/64"), "fd42:b3e7:7a00::1"))
                .isEqualTo("fd42:b3e7:7a00:0:ffff:ffff:ffff:ffff");
        // a gateway put at the top of the subnet (--gateway) keeps its address
        assertThat(DefaultBridgeAnchor.lastHost(io.berth.network.Subnet.parse("10.9.0.0/24"), "10.9.0.254")).isEqualTo("10.9.0.253");
    }
}
