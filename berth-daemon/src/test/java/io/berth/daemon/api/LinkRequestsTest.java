package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.NetworkSpec;

class LinkRequestsTest {
    private static final String DB = "d".repeat(64);
    private static final Map<String, String> IDS = Map.of("db", DB, "dbid", DB);

    private static String idOf(String name) {
        String id = IDS.get(name);
        if (id == null) throw new NotFoundException("No such container: " + name);
        return id;
    }

    private static NetworkSpec mode(String mode) {
        return new NetworkSpec("h", mode, List.of(), List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of());
    }

    private static List<NetworkSpec.Link> resolve(String links, String mode) throws Exception {
        JsonNode node = new ObjectMapper().readTree(links);
        return LinkRequests.resolve(node, mode(mode), LinkRequestsTest::idOf);
    }

    @Test
    void theThreeFormsDockerAccepts() {
        assertThat(LinkRequests.parse("db:database")).isEqualTo(new LinkRequests.Parsed("db", "database"));
        assertThat(LinkRequests.parse("db")).isEqualTo(new LinkRequests.Parsed("db", "db"));
        // the form inspect shows, sent back by a client that re-creates a container
        assertThat(LinkRequests.parse("/db:/web/database")).isEqualTo(new LinkRequests.Parsed("db", "database"));
    }

    @Test
    void badFormsAreRefusedAndNothingReachesHostsOrEnvUnchecked() {
        assertThatThrownBy(() -> LinkRequests.parse("")).hasMessage("empty string specified for links");
        assertThatThrownBy(() -> LinkRequests.parse("a:b:c")).hasMessage("bad format for links: a:b:c");
        assertThatThrownBy(() -> LinkRequests.parse("db:bad alias")).hasMessage("bad format for links: db:bad alias");
        assertThatThrownBy(() -> LinkRequests.parse("db:x\n1.2.3.4 evil")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> LinkRequests.parse(":x")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void linksOnTheDefaultBridgeAreResolvedToTheFullId() throws Exception {
        assertThat(resolve("[\"db:database\",\"dbid\"]", "bridge"))
                .containsExactly(new NetworkSpec.Link(DB, "database"), new NetworkSpec.Link(DB, "dbid"));
        assertThat(resolve("null", "host")).isEmpty();
        assertThat(resolve("[]", "mynet")).isEmpty();
    }

    @Test
    void theDockerClisCopyInTheBridgesEndpointIsTheSameLinksAndAnythingElseThereIsRefused() throws Exception {
        ObjectMapper m = new ObjectMapper();
        assertThat(LinkRequests.resolve(m.readTree("[\"db:database\"]"), m.readTree("{\"bridge\":{\"Links\":[\"db:database\"]}}"),
                mode("bridge"), LinkRequestsTest::idOf)).containsExactly(new NetworkSpec.Link(DB, "database"));
        assertThatThrownBy(() -> LinkRequests.resolve(m.readTree("[\"db:database\"]"), m.readTree("{\"default\":{\"Links\":[\"db:other\"]}}"),
                mode("bridge"), LinkRequestsTest::idOf))
                .hasMessage("berth does not support NetworkingConfig.EndpointsConfig.default.Links other than HostConfig.Links yet");
    }

    @Test
    void aBridgeEndpointBesideAnotherFirstNetworkMakesNoLegacyLinkAndIsRefused() throws Exception {
        ObjectMapper m = new ObjectMapper();
        assertThatThrownBy(() -> LinkRequests.resolve(m.readTree("[\"db\"]"), m.readTree("{\"bridge\":{\"Links\":[\"db\"]}}"),
                mode("mynet"), LinkRequestsTest::idOf))
                .hasMessage("berth does not support NetworkingConfig.EndpointsConfig.bridge.Links other than HostConfig.Links yet");
    }

    @Test
    void onAUserNetworkTheCopiesAreOneLinkAndTargetsNeedNotExist() {
        // the docker CLI sends --link in HostConfig.Links and in the first endpoint: one link each
        assertThat(LinkRequests.onUserNetwork(List.of("db:database", "later"), List.of("db:database", "/db:/web/d2")))
                .containsExactly(new NetworkSpec.EndpointLink("db", "database"), new NetworkSpec.EndpointLink("later", "later"),
                        new NetworkSpec.EndpointLink("db", "d2"));
        assertThat(new NetworkSpec.EndpointLink("db", "database").inspectForm()).isEqualTo("db:database");
        assertThat(new NetworkSpec.EndpointLink("later", "later").inspectForm()).isEqualTo("later");
    }

    @Test
    void onAUserNetworkOneAliasForTwoTargetsAndNamesThatCannotGoIntoHostsAreRefused() {
        assertThatThrownBy(() -> LinkRequests.onUserNetwork(List.of("db:x", "cache:x")))
                .hasMessage("Conflict. The link alias \"x\" is given twice");
        assertThatThrownBy(() -> LinkRequests.onUserNetwork(List.of("d b:x"))).hasMessage("bad format for links: d b:x");
        assertThatThrownBy(() -> LinkRequests.onUserNetwork(List.of("db:x\n1.2.3.4 evil"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> LinkRequests.onUserNetwork(List.of(""))).hasMessage("empty string specified for links");
    }

    @Test
    void aMissingContainerAndEveryOtherModeAreRefusedWithDockersWordsOrByName() throws Exception {
        assertThatThrownBy(() -> resolve("[\"nope:x\"]", "bridge")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("could not get container for nope: No such container: nope");
        assertThatThrownBy(() -> resolve("[\"db\"]", "host"))
                .hasMessage("conflicting options: host type networking can't be used with links. This would result in undefined behavior");
        assertThatThrownBy(() -> resolve("[\"db\"]", "container:" + DB))
                .hasMessage("conflicting options: container type network can't be used with links. This would result in undefined behavior");
        assertThatThrownBy(() -> resolve("[\"db\"]", "none")).hasMessageContaining("berth does not support HostConfig.Links with HostConfig.NetworkMode=none");
        // on a user-defined network they are no legacy links (onUserNetwork): nothing is looked up here, nothing refused
        assertThat(resolve("[\"nosuch:x\"]", "mynet")).isEmpty();
        assertThatThrownBy(() -> resolve("[\"db:x\",\"dbid:x\"]", "bridge")).isInstanceOf(InvalidArgumentException.class);
    }
}
