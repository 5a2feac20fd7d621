package io.berth.daemon.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.berth.runtime.NetworkSpec;

class EndpointLinkHostsTest {
    private static final String APPNET = "a".repeat(64);
    private static final String OTHERNET = "o".repeat(64);

    private static NetworkSpec.Attachment on(String id, NetworkSpec.EndpointLink... links) {
        return new NetworkSpec.Attachment("n", id, List.of(), "", "", "", List.of(links));
    }

    @Test
    void theAliasAndTheTargetNameTheTargetsAddressesOnThatNetworkOnly() {
        List<EndpointLinkHosts.Peer> peers = List.of(
                new EndpointLinkHosts.Peer(OTHERNET, Set.of("db"), "10.90.0.2", ""),
                new EndpointLinkHosts.Peer(APPNET, Set.of("db", "bbbbbbbbbbbb"), "10.89.0.2", "fd00::2"),
                new EndpointLinkHosts.Peer(APPNET, Set.of("cache", "kv"), "10.89.0.3", ""));
        List<String> lines = EndpointLinkHosts.lines(List.of(on(APPNET, new NetworkSpec.EndpointLink("db", "database"),
                new NetworkSpec.EndpointLink("kv", "kv"), new NetworkSpec.EndpointLink("later", "l"))), peers);
        assertThat(lines).containsExactly("10.89.0.2\tdatabase db", "fd00::2\tdatabase db", "10.89.0.3\tkv");
    }

    @Test
    void aTargetThatIsNotOnTheLinksNetworkGivesNoLine() {
        List<EndpointLinkHosts.Peer> elsewhere = List.of(new EndpointLinkHosts.Peer(OTHERNET, Set.of("db"), "10.90.0.2", ""));
        assertThat(EndpointLinkHosts.lines(List.of(on(APPNET, new NetworkSpec.EndpointLink("db", "database"))), elsewhere)).isEmpty();
        assertThat(EndpointLinkHosts.hasLinks(new NetworkSpec("h", "n", List.of(on(APPNET)), List.of(), List.of(), false,
                List.of(), List.of(), List.of(), List.of()))).isFalse();
    }
}
