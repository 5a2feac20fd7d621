package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.daemon.events.EventBus;

/**
 * GET /events filters. Before: network, volume, daemon, scope (and the Swarm and plugin types) were read by nothing,
 * so `docker events --filter network=x` showed every event.
 */
class EventFiltersTest {
    private static final EventBus.Event NETWORK = new EventBus.Event("network", "connect", "9f1c2d3e4b5a",
            Map.of("name", "backend", "type", "bridge", "container", "c0ffee"), Instant.EPOCH);
    private static final EventBus.Event VOLUME = new EventBus.Event("volume", "create", "data", Map.of("driver", "local"), Instant.EPOCH);
    private static final EventBus.Event CONTAINER = new EventBus.Event("container", "start", "c0ffee12",
            Map.of("name", "web", "image", "busybox"), Instant.EPOCH);

    private static boolean accepts(EventBus.Event e, String filtersJson) {
        return SystemRoutes.accept(e, Filters.parse(filtersJson));
    }

    @Test
    void networkAndVolumeFiltersKeepTheirObjectsEventsByIdOrNamePrefix() {
        assertThat(accepts(NETWORK, "{\"network\":[\"backend\"]}")).isTrue();
        assertThat(accepts(NETWORK, "{\"network\":[\"9f1c\"]}")).isTrue();
        assertThat(accepts(NETWORK, "{\"network\":[\"frontend\"]}")).isFalse();
        assertThat(accepts(CONTAINER, "{\"network\":[\"backend\"]}")).isFalse();
        assertThat(accepts(VOLUME, "{\"volume\":[\"data\"]}")).isTrue();
        assertThat(accepts(VOLUME, "{\"volume\":[\"other\"]}")).isFalse();
        assertThat(accepts(CONTAINER, "{\"volume\":[\"data\"]}")).isFalse();
    }

    @Test
    void everyEventIsLocalAndNoneIsOfTheTypesBerthDoesNotHave() {
        assertThat(accepts(CONTAINER, "{\"scope\":[\"local\"]}")).isTrue();
        assertThat(accepts(CONTAINER, "{\"scope\":[\"swarm\"]}")).isFalse();
        for (String key : new String[] {"daemon", "plugin", "node", "service", "secret", "config"}) {
            assertThat(accepts(CONTAINER, "{\"" + key + "\":[\"x\"]}")).as(key).isFalse();
        }
    }

    @Test
    void theFiltersThatWereAppliedStillAre() {
        assertThat(accepts(CONTAINER, "{\"type\":[\"container\"],\"event\":[\"start\"],\"container\":[\"web\"],\"image\":[\"busybox\"]}")).isTrue();
        assertThat(accepts(CONTAINER, "{\"type\":[\"network\"]}")).isFalse();
        assertThat(accepts(CONTAINER, "{}")).isTrue();
    }
}
