package io.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Legacy links travel with container.json (they survive a berthd restart); their variables yield to the container's own. */
class LinkSpecTest {
    private static final String ID = "e".repeat(64);

    @Test
    void linksSurviveSaveAndLoadAndAnOldStateFileHasNone() throws Exception {
        NetworkSpec net = new NetworkSpec("h", "bridge", List.of(), List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of())
                .withLinks(List.of(new NetworkSpec.Link("f".repeat(64), "database")));
        ContainerSpec spec = ContainerSpec.builder(ID).args(List.of("true")).network(net).build();
        ContainerSpec back = ContainerStore.JSON.readValue(ContainerStore.JSON.writeValueAsBytes(spec), ContainerSpec.class);
        assertThat(back.network().links()).containsExactly(new NetworkSpec.Link("f".repeat(64), "database"));
        assertThat(back.network().withHostname("x").links()).isEqualTo(back.network().links());

        // a state file written before links existed
        String old = new String(ContainerStore.JSON.writeValueAsBytes(spec.toBuilder().network(NetworkSpec.DEFAULT).build()))
                .replace(",\"links\":[]", "").replace("\"links\":[],", "");
        assertThat(old).doesNotContain("links");
        assertThat(ContainerStore.JSON.readValue(old, ContainerSpec.class).network().links()).isEmpty();
    }

    @Test
    void stepVariablesComeFirstAndTheContainersOwnValueWins() {
        assertThat(OciConfig.withStepEnv(List.of("DB_PORT=tcp://1.2.3.4:5", "DB_NAME=/w/db"), List.of("DB_NAME=mine", "A=1")))
                .containsExactly("DB_PORT=tcp://1.2.3.4:5", "DB_NAME=mine", "A=1");
        assertThat(OciConfig.withStepEnv(List.of(), List.of("A=1"))).containsExactly("A=1");
    }
}
