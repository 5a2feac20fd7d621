package io.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.InvalidArgumentException;

/** POST /build?networkmode=: the classic builder's values reach the RUN containers; host is no longer turned into default. */
class BuildNetworkModeTest {
    @Test
    void defaultBridgeNoneAndHostPassOthersAreRefusedByName() {
        assertThat(BuildRoutes.networkMode(null)).isEqualTo("default");
        assertThat(BuildRoutes.networkMode("")).isEqualTo("default");
        assertThat(BuildRoutes.networkMode("bridge")).isEqualTo("default");
        assertThat(BuildRoutes.networkMode("none")).isEqualTo("none");
        assertThat(BuildRoutes.networkMode("host")).isEqualTo("host");
        assertThatThrownBy(() -> BuildRoutes.networkMode("container:abc")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("berth does not support build --network=container:abc yet (use default, none or host)");
    }
}
