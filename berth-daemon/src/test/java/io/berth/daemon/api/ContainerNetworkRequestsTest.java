package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.daemon.http.ApiJson;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.NetworkSpec;

/** The network fields of a create body, through the translator: Docker's rules and messages. */
class ContainerNetworkRequestsTest {
    private static final String ID = "0123456789abcdef".repeat(4);
    private static final String OTHER = "f".repeat(64);
    private static final String APPNET_ID = "a".repeat(64);
    private static final ImageDefaults NGINX = new ImageDefaults("sha256:" + "c".repeat(64), List.of(), List.of("nginx"),
            List.of(), "", "", "", Map.of(), List.of(), List.of("80/tcp"), null, List.of());

    /** The predefined networks and one user network, "appnet". */
    private static final NetworkResolver NETWORKS = nameOrId -> {
        if (nameOrId.equals("appnet") || nameOrId.equals(APPNET_ID) || nameOrId.equals("aaaaaa")) {
            return new NetworkResolver.Network(APPNET_ID, "appnet");
        }
        return NetworkResolver.PREDEFINED.resolve(nameOrId);
    };

    private final CreateRequestTranslator translator = new CreateRequestTranslator(new SecurityOptions.HostLsm(false, false), 2,
            ContainerVolumes.NONE, NETWORKS, c -> {
                if (c.equals("db") || c.equals(OTHER)) return OTHER;
                throw new NotFoundException("No such container: " + c);
            });

    private CreateRequestTranslator.Translated translate(String body, String apiVersion) throws IOException {
        return translator.translate(ID, "web", ApiJson.MAPPER.readTree(body), NGINX, List.of(Path.of("/l")), apiVersion);
    }

    private NetworkSpec net(String body) throws IOException {
        return translate(body, "1.43").spec().network();
    }

    private void rejects(String body, String message) {
        assertThatThrownBy(() -> translate(body, "1.43")).isInstanceOf(InvalidArgumentException.class).hasMessage(message);
    }

    @Test
    void noNetworkModeIsTheDefaultBridgeWithTheImagesExposedPorts() throws IOException {
        NetworkSpec n = net("{\"Image\":\"nginx\"}");
        assertThat(n.mode()).isEqualTo("bridge");
        assertThat(n.attachments()).singleElement().satisfies(a -> {
            assertThat(a.network()).isEqualTo("bridge");
            assertThat(a.networkId()).isEqualTo(NetworkResolver.PREDEFINED.resolve("bridge").id());
        });
        assertThat(n.exposed()).containsExactly("80/tcp");
        assertThat(n.hostname()).isEqualTo(ID.substring(0, 12));
        assertThat(net("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"default\"}}").mode()).isEqualTo("bridge");
    }

    @Test
    void portBindingsExposedPortsAndPublishAll() throws IOException {
        NetworkSpec n = net("""
                {"Image":"nginx","ExposedPorts":{"53/udp":{},"9000-9001/tcp":{}},"HostConfig":{"PublishAllPorts":true,
                 "PortBindings":{"443/tcp":[{"HostIp":"127.0.0.1","HostPort":"8443"}],"8080":[{"HostIp":"","HostPort":""}],
                 "53/udp":[{"HostIp":"::1","HostPort":"0"},{"HostIp":"[::]","HostPort":"5353"}]}}}""");
        assertThat(n.ports()).containsExactly(
                new NetworkSpec.PortBinding(443, "tcp", "127.0.0.1", 8443),
                new NetworkSpec.PortBinding(8080, "tcp", "", 0),
                new NetworkSpec.PortBinding(53, "udp", "::1", 0),
                new NetworkSpec.PortBinding(53, "udp", "::", 5353));
        assertThat(n.exposed()).containsExactly("80/tcp", "443/tcp", "8080/tcp", "9000/tcp", "9001/tcp", "53/udp");
        assertThat(n.publishAll()).isTrue();
    }

    @Test
    void badPortsAreRefusedInDockersWords() {
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"PortBindings\":{\"80x/tcp\":[]}}}", "invalid port specification: \"80x\"");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"70000\"}]}}}",
                "invalid port specification: \"70000\"");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"80a\"}]}}}",
                "invalid port specification: \"80a\"");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"PortBindings\":{\"80/icmp\":[]}}}", "invalid proto: icmp");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"localhost\",\"HostPort\":\"1\"}]}}}",
                "invalid host IP: localhost");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8000-8010\"}]}}}",
                "berth does not support a host port range for one container port (HostConfig.PortBindings 80/tcp HostPort 8000-8010) yet");
    }

    @Test
    void hostModeDropsPublishedPortsWithDockersWarningAndTakesTheHostsHostname() throws IOException {
        var t = translate("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"host\",\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"8080\"}]}}}", "1.43");
        assertThat(t.warnings()).containsExactly("Published ports are discarded when using host network mode");
        assertThat(t.spec().network().ports()).isEmpty();
        assertThat(t.spec().network().attachments()).isEmpty();
        assertThat(t.spec().network().hostname()).isEqualTo(HostName.current());
        assertThat(net("{\"Image\":\"nginx\",\"Hostname\":\"h\",\"HostConfig\":{\"NetworkMode\":\"host\"}}").hostname()).isEqualTo("h");
        rejects("{\"Image\":\"nginx\",\"MacAddress\":\"02:42:ac:11:00:02\",\"HostConfig\":{\"NetworkMode\":\"host\"}}",
                "conflicting options: mac-address and the network mode");
    }

    @Test
    void aliasesAndAddressesOnlyOnUserDefinedNetworks() throws IOException {
        for (String mode : List.of("host", "none", "bridge", "default")) {
            String prefix = "invalid config for network " + mode + ": invalid endpoint settings:\n";
            rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"" + mode + "\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\""
                    + mode + "\":{\"Aliases\":[\"web\"]}}}}", prefix + "network-scoped alias is supported only for containers in user defined networks");
            rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"" + mode + "\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\""
                    + mode + "\":{\"IPAMConfig\":{\"IPv4Address\":\"10.0.0.5\"}}}}}", prefix + "user specified IP address is supported on user defined networks only");
        }
        rejects("{\"Image\":\"nginx\",\"NetworkingConfig\":{\"EndpointsConfig\":{\"default\":{\"Aliases\":[\"a\"],"
                + "\"IPAMConfig\":{\"IPv6Address\":\"fd00::1\"}}}}}", "invalid config for network default: invalid endpoint settings:\n"
                + "user specified IP address is supported on user defined networks only\n"
                + "network-scoped alias is supported only for containers in user defined networks");
        NetworkSpec n = net("""
                {"Image":"nginx","MacAddress":"02:42:AC:11:00:09","HostConfig":{"NetworkMode":"appnet"},
                 "NetworkingConfig":{"EndpointsConfig":{"appnet":{"Aliases":["web","www"],
                  "IPAMConfig":{"IPv4Address":"10.1.0.5","IPv6Address":"fd00::5"}}}}}""");
        assertThat(n.mode()).isEqualTo("appnet");
        assertThat(n.attachments()).containsExactly(new NetworkSpec.Attachment("appnet", APPNET_ID, List.of("web", "www"),
                "10.1.0.5", "fd00::5", "02:42:ac:11:00:09"));
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"appnet\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"appnet\":"
                + "{\"IPAMConfig\":{\"IPv4Address\":\"fd00::1\"}}}}}", "invalid IPv4 address: fd00::1");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"appnet\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"appnet\":"
                + "{\"IPAMConfig\":{\"IPv6Address\":\"10.0.0.1\"}}}}}", "invalid IPv6 address: 10.0.0.1");
    }

    @Test
    void aNetworkThatDoesNotExistIsA400NotA404WhichTheDockerCliAnswersWithAPull() {
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"nope\"}}", "network nope not found");
        assertThatThrownBy(() -> translate("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"appnet\"},\"NetworkingConfig\":"
                + "{\"EndpointsConfig\":{\"appnet\":{},\"gone\":{}}}}", "1.44")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("network gone not found");
    }

    @Test
    void severalEndpointsAtCreateOnlySinceApi144() throws IOException {
        String body = "{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"appnet\"},\"NetworkingConfig\":{\"EndpointsConfig\":"
                + "{\"appnet\":{},\"bridge\":{}}}}";
        assertThatThrownBy(() -> translate(body, "1.43")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Container cannot be connected to network endpoints: appnet, bridge");
        NetworkSpec n = translate(body, "1.44").spec().network();
        assertThat(n.attachments()).extracting(NetworkSpec.Attachment::network).containsExactly("appnet", "bridge");
        assertThatThrownBy(() -> translate("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"host\"},\"NetworkingConfig\":"
                + "{\"EndpointsConfig\":{\"appnet\":{}}}}", "1.44")).hasMessage(
                "container sharing network namespace with another container or host cannot be connected to any other network");
        assertThatThrownBy(() -> translate("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"none\"},\"NetworkingConfig\":"
                + "{\"EndpointsConfig\":{\"appnet\":{}}}}", "1.44")).hasMessage(
                "container cannot be connected to multiple networks with one of the networks in private (none) mode");
    }

    @Test
    void containerModeResolvesTheContainerAndRefusesWhatItOwns() throws IOException {
        NetworkSpec n = net("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"container:db\"}}");
        assertThat(n.mode()).isEqualTo("container:" + OTHER);
        assertThat(n.joinedContainer()).isEqualTo(OTHER);
        assertThat(n.exposed()).containsExactly("80/tcp");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"container:gone\"}}", "No such container: gone");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"container:\"}}",
                "Invalid network mode: invalid container format container:<name|id>");
        rejects("{\"Image\":\"nginx\",\"Hostname\":\"x\",\"HostConfig\":{\"NetworkMode\":\"container:db\"}}",
                "conflicting options: hostname and the network mode");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"container:db\",\"Dns\":[\"1.1.1.1\"]}}",
                "conflicting options: dns and the network mode");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"container:db\",\"ExtraHosts\":[\"a:1.2.3.4\"]}}",
                "conflicting options: custom host-to-IP mapping and the network mode");
        rejects("{\"Image\":\"nginx\",\"MacAddress\":\"02:42:ac:11:00:02\",\"HostConfig\":{\"NetworkMode\":\"container:db\"}}",
                "conflicting options: mac-address and the network mode");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"container:db\",\"PublishAllPorts\":true}}",
                "conflicting options: port publishing and the container type network mode");
        rejects("{\"Image\":\"nginx\",\"ExposedPorts\":{\"80/tcp\":{}},\"HostConfig\":{\"NetworkMode\":\"container:db\"}}",
                "conflicting options: port exposing and the container type network mode");
    }

    @Test
    void dnsAndExtraHosts() throws IOException {
        NetworkSpec n = net("""
                {"Image":"nginx","HostConfig":{"Dns":["1.1.1.1","2001:4860:4860::8888"],"DnsSearch":["example.org"],
                 "DnsOptions":["ndots:2"],"ExtraHosts":["db:10.0.0.2","gw:host-gateway","v6=::1","b6:[fe80::1]"]}}""");
        assertThat(n.dns()).containsExactly("1.1.1.1", "2001:4860:4860::8888");
        assertThat(n.dnsSearch()).containsExactly("example.org");
        assertThat(n.dnsOptions()).containsExactly("ndots:2");
        assertThat(n.extraHosts()).containsExactly(new NetworkSpec.HostEntry("db", "10.0.0.2"),
                new NetworkSpec.HostEntry("gw", "host-gateway"), new NetworkSpec.HostEntry("v6", "::1"),
                new NetworkSpec.HostEntry("b6", "fe80::1"));
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"ExtraHosts\":[\"nocolon\"]}}", "bad format for add-host: \"nocolon\"");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"ExtraHosts\":[\"db:example.org\"]}}", "invalid IP address in add-host: \"example.org\"");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"ExtraHosts\":[\"db:1.2.3\"]}}", "invalid IP address in add-host: \"1.2.3\"");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"Dns\":[\"resolver\"]}}", "IP address is not correctly formatted: resolver");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"DnsSearch\":[\"-bad-\"]}}", "-bad- is not a valid domain");
    }

    @Test
    void networkDisabledIsModeNoneAndNoneRefusesPortsInsteadOfDroppingThem() throws IOException {
        assertThat(net("{\"Image\":\"nginx\",\"NetworkDisabled\":true}").mode()).isEqualTo("none");
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"none\",\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"1\"}]}}}",
                "berth does not support HostConfig.PortBindings or PublishAllPorts with HostConfig.NetworkMode=none (no port can be reached)");
    }

    @Test
    void containerWideMacMustMatchTheEndpoints() {
        rejects("{\"Image\":\"nginx\",\"MacAddress\":\"02:42:ac:11:00:02\",\"NetworkingConfig\":{\"EndpointsConfig\":{\"bridge\":"
                + "{\"MacAddress\":\"02:42:ac:11:00:03\"}}}}",
                "the container-wide MAC address must match the endpoint-specific MAC address for the main network, or be left empty");
        rejects("{\"Image\":\"nginx\",\"MacAddress\":\"zz\"}", "invalid MAC address zz");
    }

    @Test
    void onAUserNetworkLinksAreTheEndpointsAndHostConfigLinksJoinTheFirstOne() throws IOException {
        // what the docker CLI sends for docker run --network appnet --link db:database --link later:l
        NetworkSpec n = net("""
                {"Image":"nginx","HostConfig":{"NetworkMode":"appnet","Links":["db:database","later:l"]},
                 "NetworkingConfig":{"EndpointsConfig":{"appnet":{"Links":["db:database","later:l"]}}}}""");
        assertThat(n.links()).as("no legacy links").isEmpty();
        assertThat(n.attachments()).singleElement().satisfies(a -> assertThat(a.links()).containsExactly(
                new NetworkSpec.EndpointLink("db", "database"), new NetworkSpec.EndpointLink("later", "l")));
        // docker-py's links= without an endpoint: applied to the first network, not left unused
        assertThat(net("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"appnet\",\"Links\":[\"db\"]}}").attachments().getFirst().links())
                .containsExactly(new NetworkSpec.EndpointLink("db", "db"));
        // an endpoint not on a user-defined network has nothing to resolve links with
        rejects("{\"Image\":\"nginx\",\"HostConfig\":{\"NetworkMode\":\"none\"},\"NetworkingConfig\":{\"EndpointsConfig\":{\"none\":{\"Links\":[\"db\"]}}}}",
                "berth does not support NetworkingConfig.EndpointsConfig.none.Links here: links are only supported for user-defined networks");
    }
}
