package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.daemon.http.ApiJson;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.NetworkSpec;

/** NetworkSettings and the summary's Ports in Docker's shape, before and while the container runs. */
class NetworkSettingsViewTest {
    private static final String BRIDGE_ID = NetworkResolver.PREDEFINED.resolve("bridge").id();
    private static final String APPNET_ID = "a".repeat(64);
    private final NetworkSettingsView view = new NetworkSettingsView(NetworkResolver.PREDEFINED);

    private static ContainerSpec spec(NetworkSpec n) {
        return ContainerSpec.builder("0".repeat(64)).args(List.of("sh")).network(n).build();
    }

    private static JsonNode json(Object o) {
        return ApiJson.MAPPER.valueToTree(o);
    }

    private static final NetworkSpec WEB = new NetworkSpec("web", "bridge",
            List.of(new NetworkSpec.Attachment("bridge", BRIDGE_ID, List.of(), "", "", ""),
                    new NetworkSpec.Attachment("appnet", APPNET_ID, List.of("www"), "10.1.0.5", "", "")),
            List.of(new NetworkSpec.PortBinding(80, "tcp", "", 0)), List.of("80/tcp", "81/tcp"), false,
            List.of(), List.of(), List.of(), List.of());

    private static final ContainerNetworkStatus RUNNING = new ContainerNetworkStatus("sb1", "/run/berth/netns/x", List.of(
            new ContainerNetworkStatus.Endpoint("bridge", BRIDGE_ID, "ep1", "02:42:ac:11:00:02", "172.17.0.2", 16, "172.17.0.1",
                    "", 0, "", List.of(), List.of()),
            new ContainerNetworkStatus.Endpoint("appnet", APPNET_ID, "ep2", "02:42:0a:01:00:05", "10.1.0.5", 24, "10.1.0.1",
                    "fd00::5", 64, "fd00::1", List.of("www", "000000000000"), List.of("web", "www", "000000000000"))),
            List.of(new ContainerNetworkStatus.PortMapping(80, "tcp", "0.0.0.0", 32768),
                    new ContainerNetworkStatus.PortMapping(80, "tcp", "::", 32768)));

    @Test
    void aContainerThatDoesNotRunListsItsNetworksWithEmptyAddressesAndNoPorts() {
        JsonNode s = json(view.settings(spec(WEB), Optional.empty()));
        assertThat(s.get("Ports").isEmpty()).isTrue();
        assertThat(s.get("IPAddress").asText()).isEmpty();
        assertThat(s.get("SandboxKey").asText()).isEmpty();
        assertThat(s.get("Networks").fieldNames()).toIterable().containsExactly("bridge", "appnet");
        JsonNode appnet = s.get("Networks").get("appnet");
        assertThat(appnet.get("NetworkID").asText()).isEqualTo(APPNET_ID);
        assertThat(appnet.get("IPAddress").asText()).isEmpty();
        assertThat(appnet.get("IPAMConfig").get("IPv4Address").asText()).isEqualTo("10.1.0.5");
        assertThat(appnet.get("IPAMConfig").has("IPv6Address")).isFalse();
        assertThat(appnet.get("Aliases")).containsExactly(json("www"));
        assertThat(appnet.get("DNSNames").isNull()).isTrue();
        assertThat(s.get("Networks").get("bridge").get("IPAMConfig").isNull()).isTrue();
        for (String field : List.of("IPAMConfig", "Links", "Aliases", "MacAddress", "DriverOpts", "NetworkID", "EndpointID",
                "Gateway", "IPAddress", "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address", "GlobalIPv6PrefixLen", "DNSNames")) {
            assertThat(appnet.has(field)).as(field).isTrue();
        }
    }

    @Test
    void aRunningContainerShowsAddressesBoundPortsAndTheDefaultBridgeAtTheTopLevel() {
        JsonNode s = json(view.settings(spec(WEB), Optional.of(RUNNING)));
        assertThat(s.get("SandboxID").asText()).isEqualTo("sb1");
        assertThat(s.get("SandboxKey").asText()).isEqualTo("/run/berth/netns/x");
        assertThat(s.get("IPAddress").asText()).isEqualTo("172.17.0.2");
        assertThat(s.get("IPPrefixLen").asInt()).isEqualTo(16);
        assertThat(s.get("Gateway").asText()).isEqualTo("172.17.0.1");
        assertThat(s.get("MacAddress").asText()).isEqualTo("02:42:ac:11:00:02");
        assertThat(s.get("GlobalIPv6Address").asText()).isEmpty();
        Map<String, Object> ports = new java.util.LinkedHashMap<>();
        ports.put("80/tcp", List.of(Map.of("HostIp", "0.0.0.0", "HostPort", "32768"), Map.of("HostIp", "::", "HostPort", "32768")));
        ports.put("81/tcp", null);
        assertThat(s.get("Ports")).isEqualTo(json(ports));
        JsonNode appnet = s.get("Networks").get("appnet");
        assertThat(appnet.get("IPAddress").asText()).isEqualTo("10.1.0.5");
        assertThat(appnet.get("GlobalIPv6Address").asText()).isEqualTo("fd00::5");
        assertThat(appnet.get("GlobalIPv6PrefixLen").asInt()).isEqualTo(64);
        assertThat(appnet.get("EndpointID").asText()).isEqualTo("ep2");
        assertThat(appnet.get("DNSNames")).containsExactly(json("web"), json("www"), json("000000000000"));
    }

    @Test
    void summaryPortsListEachBindingAndEachUnpublishedPort() {
        assertThat(json(NetworkSettingsView.portList(WEB, Optional.of(RUNNING)))).isEqualTo(json(List.of(
                Map.of("IP", "0.0.0.0", "PrivatePort", 80, "PublicPort", 32768, "Type", "tcp"),
                Map.of("IP", "::", "PrivatePort", 80, "PublicPort", 32768, "Type", "tcp"),
                Map.of("PrivatePort", 81, "Type", "tcp"))));
        assertThat(NetworkSettingsView.portList(WEB, Optional.empty())).isEmpty();
    }

    @Test
    void hostAndNoneAreNetworksOfTheirOwnAndContainerModeHasNone() {
        NetworkSpec host = new NetworkSpec("h", "host", List.of(), List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of());
        JsonNode s = json(view.settings(spec(host), Optional.empty()));
        assertThat(s.get("Networks").get("host").get("NetworkID").asText()).isEqualTo(NetworkResolver.PREDEFINED.resolve("host").id());
        NetworkSpec joined = new NetworkSpec("", "container:" + "f".repeat(64), List.of(), List.of(), List.of(), false,
                List.of(), List.of(), List.of(), List.of());
        assertThat(json(view.settings(spec(joined), Optional.empty())).get("Networks").isEmpty()).isTrue();
    }
}
