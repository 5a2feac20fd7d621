package io.berth.network.runtime;

import io.berth.runtime.ContainerSpec;
import io.berth.runtime.NetworkSpec;
import io.berth.runtime.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a recycled interface is given again, and which containers' interfaces may be recycled at all. */
class InterfaceRecyclingTest {
    private static final NetworkStatus.Endpoint E = new NetworkStatus.Endpoint("bridge", "n1", "172.22.0.3", 16, "172.22.0.1",
            "", 0, "", "aa:bb:cc:dd:ee:ff", List.of(), List.of());

    @TempDir
    Path tmp;

    @Test
    void theAddressLinkAndDefaultRouteAsNetavarkGivesThem() {
        assertThat(InterfaceRecycling.lines("eth0", E, true, 100)).containsExactly(
                "addr add 172.22.0.3/16 brd + dev eth0",
                "link set dev eth0 up",
                "route add default via 172.22.0.1 proto static metric 100");
        assertThat(InterfaceRecycling.lines("eth0", E, false, 100)).as("an internal network: no way out").hasSize(2);
        assertThat(InterfaceRecycling.statusBlock("eth0", E).interfaces().get("eth0"))
                .isEqualTo(new NetavarkJson.NetInterface("aa:bb:cc:dd:ee:ff", List.of(new NetavarkJson.NetAddress("172.22.0.1", "172.22.0.3/16"))));
    }

    @Test
    void refusesWhatIsNotAnInterfaceNameOrAnAddress() {
        assertThatThrownBy(() -> InterfaceRecycling.lines("eth0 up; x", E, true, 100)).isInstanceOf(IllegalArgumentException.class);
        NetworkStatus.Endpoint bad = new NetworkStatus.Endpoint("bridge", "n1", "172.22.0.3 dev lo", 16, "172.22.0.1",
                "", 0, "", "", List.of(), List.of());
        assertThatThrownBy(() -> InterfaceRecycling.lines("eth0", bad, true, 100)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void theMetricIsTheNetworksOptionAsForNetavark() {
        NetworkCatalog.NetworkFacts plain = facts(Map.of());
        assertThat(InterfaceRecycling.metric(plain)).isEqualTo(100);
        assertThat(InterfaceRecycling.metric(facts(Map.of("metric", "250")))).isEqualTo(250);
    }

    @Test
    void onlyAContainerThatCouldNotChangeItsInterfaceHandsItOn() throws Exception {
        Path netns = tmp.resolve("netns");
        assertThat(InterfaceReuse.allows(spec(b -> b), netns, false)).isTrue();
        assertThat(InterfaceReuse.allows(spec(b -> b.capAdd(List.of("CHOWN", "NET_RAW"))), netns, false)).isTrue();
        assertThat(InterfaceReuse.allows(spec(b -> b.privileged(true)), netns, false)).isFalse();
        assertThat(InterfaceReuse.allows(spec(b -> b), netns, true)).as("a privileged exec was made in it").isFalse();
        assertThat(InterfaceReuse.allows(spec(b -> b.capAdd(List.of("net_admin"))), netns, false)).isFalse();
        assertThat(InterfaceReuse.allows(spec(b -> b.capAdd(List.of("CAP_NET_ADMIN"))), netns, false)).isFalse();
        assertThat(InterfaceReuse.allows(spec(b -> b.capAdd(List.of("ALL"))), netns, false)).isFalse();
        assertThat(InterfaceReuse.allows(spec(b -> b.resources(sysctls(Map.of("net.ipv4.ip_forward", "1")))), netns, false)).isFalse();
        assertThat(InterfaceReuse.allows(spec(b -> b.resources(sysctls(Map.of("kernel.msgmax", "65536")))), netns, false)).isTrue();
        java.nio.file.Files.createFile(netns);
        Netns.markJoined(netns);
        assertThat(InterfaceReuse.allows(spec(b -> b), netns, false)).as("another container joined its namespace").isFalse();
    }

    private static ContainerSpec spec(java.util.function.UnaryOperator<ContainerSpec.Builder> more) {
        return more.apply(ContainerSpec.builder("c".repeat(64)).network(NetworkSpec.DEFAULT)).build();
    }

    private static Resources sysctls(Map<String, String> s) {
        return new Resources(0, 0, 0, 0, 0, 0, null, false, null, null, new Resources.ProcessLimits(0, 0, List.of(), s));
    }

    private static NetworkCatalog.NetworkFacts facts(Map<String, String> options) {
        return new NetworkCatalog.NetworkFacts("n1", "bridge", "berth0", List.of(), false, false, false, 0, options);
    }
}
