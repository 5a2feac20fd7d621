package io.berth.build.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.oci.errors.InvalidArgumentException;
import io.berth.runtime.NetworkSpec;
import org.junit.jupiter.api.Test;

class RunNetworkTest {
    private static final String BRIDGE_ID = "b".repeat(64);

    private static NetworkSpec build(String mode) {
        return RunNetwork.forBuild(mode, name -> name.equals("bridge") ? BRIDGE_ID : "?");
    }

    @Test
    void theBuildsNetworkIsTheDefaultBridgeUnlessNoneOrHost() {
        for (String mode : new String[] {"default", "bridge", ""}) {
            NetworkSpec n = build(mode);
            assertThat(n.mode()).isEqualTo("bridge");
            assertThat(n.attachments()).singleElement().satisfies(a -> {
                assertThat(a.network()).isEqualTo("bridge");
                assertThat(a.networkId()).isEqualTo(BRIDGE_ID);
            });
        }
        assertThat(build("none").isNone()).isTrue();
        assertThat(build("host").isHost()).isTrue();
        assertThat(build("host").attachments()).isEmpty();
        assertThatThrownBy(() -> build("appnet")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("berth does not support build --network=appnet yet (use default, none or host)");
    }

    @Test
    void aRunStepsNetworkFlagNoneOverridesDefaultKeepsAndHostIsRefused() {
        NetworkSpec bridge = build("default");
        assertThat(RunNetwork.forStep(bridge, null)).isSameAs(bridge);
        assertThat(RunNetwork.forStep(bridge, "default")).isSameAs(bridge);
        assertThat(RunNetwork.forStep(bridge, "none").isNone()).isTrue();
        assertThat(RunNetwork.forStep(build("host"), "none").isNone()).isTrue();
        assertThatThrownBy(() -> RunNetwork.forStep(bridge, "host")).hasMessage("berth does not support RUN --network=host yet");
    }
}
