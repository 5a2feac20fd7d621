package io.berth.daemon.networks;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.daemon.api.Filters;
import io.berth.network.IpamConfig;
import io.berth.network.Network;
import io.berth.oci.errors.InvalidArgumentException;

class NetworkFilterTest {
    static Network net(String name, String driver, String created, Map<String, String> labels) {
        return new Network(name, "abc" + "0".repeat(61), created, driver, false,
                List.of(new IpamConfig("10.1.0.0/24", null, "10.1.0.1")), false, false, Map.of(), labels, "berth1", true);
    }

    static NetworkFilter list(String json) {
        return NetworkFilter.forList(Filters.parse(json));
    }

    @Test
    void listKeys() {
        Network app = net("myapp", "bridge", "2026-01-01T00:00:00Z", Map.of("env", "prod"));
        Network bridge = net("bridge", "bridge", "2026-01-01T00:00:00Z", Map.of());
        Network none = net("none", "null", "2026-01-01T00:00:00Z", Map.of());
        assertTrue(list("{\"name\":[\"app\"]}").test(app, false));
        assertFalse(list("{\"name\":[\"zzz\"]}").test(app, false));
        assertTrue(list("{\"id\":[\"abc0\"]}").test(app, false));
        assertTrue(list("{\"driver\":[\"null\"]}").test(none, false));
        assertFalse(list("{\"driver\":[\"bridge\"]}").test(none, false));
        assertTrue(list("{\"label\":[\"env=prod\"]}").test(app, false));
        assertFalse(list("{\"label\":[\"env=dev\"]}").test(app, false));
        assertTrue(list("{\"type\":[\"builtin\"]}").test(bridge, false));
        assertFalse(list("{\"type\":[\"custom\"]}").test(bridge, false));
        assertTrue(list("{\"scope\":[\"local\"]}").test(app, false));
        assertFalse(list("{\"scope\":[\"swarm\"]}").test(app, false));
    }

    @Test
    void danglingAsDocker() {
        Network app = net("myapp", "bridge", "2026-01-01T00:00:00Z", Map.of());
        Network bridge = net("bridge", "bridge", "2026-01-01T00:00:00Z", Map.of());
        NetworkFilter dangling = list("{\"dangling\":[\"true\"]}");
        assertTrue(dangling.test(app, false));
        assertFalse(dangling.test(app, true));
        assertFalse(dangling.test(bridge, false), "predefined networks are never dangling");
        NetworkFilter notDangling = list("{\"dangling\":[\"false\"]}");
        assertTrue(notDangling.test(bridge, false));
        assertTrue(notDangling.test(app, true));
        assertFalse(notDangling.test(app, false));
    }

    @Test
    void badFiltersAreRefused() {
        assertThrows(InvalidArgumentException.class, () -> list("{\"colour\":[\"red\"]}"));
        assertThrows(InvalidArgumentException.class, () -> list("{\"type\":[\"other\"]}"));
        assertThrows(InvalidArgumentException.class, () -> list("{\"dangling\":[\"maybe\"]}"));
        assertThrows(InvalidArgumentException.class, () -> NetworkFilter.forPrune(Filters.parse("{\"name\":[\"x\"]}"), Instant::parse));
    }

    @Test
    void pruneUntilAndLabels() {
        Network old = net("old", "bridge", "2026-01-01T00:00:00Z", Map.of("keep", "no"));
        Network recent = net("recent", "bridge", "2026-06-01T00:00:00.123456789Z", Map.of());
        NetworkFilter f = NetworkFilter.forPrune(Filters.parse("{\"until\":[\"2026-03-01T00:00:00Z\"]}"), Instant::parse);
        assertTrue(f.test(old, false));
        assertFalse(f.test(recent, false));
        NetworkFilter notLabelled = NetworkFilter.forPrune(Filters.parse("{\"label!\":[\"keep\"]}"), Instant::parse);
        assertFalse(notLabelled.test(old, false));
        assertTrue(notLabelled.test(recent, false));
    }
}
