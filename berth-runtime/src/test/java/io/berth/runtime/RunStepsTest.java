package io.berth.runtime;

import io.berth.oci.errors.SystemFailureException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ordering rules of a container's run steps: set up in order, undone in reverse, a failure undoes what was done. */
class RunStepsTest {
    private static final String ID = "a".repeat(64);
    private final List<String> calls = new ArrayList<>();
    private final Container container = new Container(ContainerSpec.builder(ID).build(), "x",
            new ContainerState(ContainerState.Status.CREATED, 0, 0, false, "", null, null), 0, "crun", 0, false,
            ContainerPaths.of(Path.of("/data"), Path.of("/run/berth/exec"), ID));

    @Test
    void setsUpInOrderAndTearsDownInReverse() {
        RunSteps steps = new RunSteps(List.of(step("a", false, false), step("b", false, false), step("c", false, false)));
        steps.setUp(container);
        steps.tearDown(container);
        assertThat(calls).containsExactly("up a", "up b", "up c", "down c", "down b", "down a");
    }

    @Test
    void aFailingStepIsUndoneWithTheOnesBeforeItAndTheLaterOnesNeverRun() {
        RunSteps steps = new RunSteps(List.of(step("a", false, false), step("b", true, false), step("c", false, false)));
        assertThatThrownBy(() -> steps.setUp(container)).isInstanceOf(SystemFailureException.class)
                .hasMessageContaining("setting up the b of container " + ID).hasMessageContaining("b broke");
        assertThat(calls).containsExactly("up a", "up b", "down b", "down a");
    }

    @Test
    void tearDownGoesOnPastAFailingStep() {
        RunSteps steps = new RunSteps(List.of(step("a", false, false), step("b", false, true), step("c", false, false)));
        steps.tearDown(container);
        assertThat(calls).containsExactly("down c", "down b", "down a");
    }

    @Test
    void aStepHandsTheNetworkNamespaceAndHostsLinesToTheRun() {
        ContainerStep net = new ContainerStep() {
            public String name() { return "network"; }
            public void setUp(StepRun run) {
                run.joinNetworkNamespace(Path.of("/run/berth/netns/x"));
                run.addHostsLine("10.0.0.2\tweb");
            }
            public void tearDown(StepRun run) {}
        };
        StepRun run = new RunSteps(List.of(net)).setUp(container);
        assertThat(run.networkNamespace()).contains(Path.of("/run/berth/netns/x"));
        assertThat(run.hostNetwork()).isFalse();
        assertThat(run.hostsLines()).containsExactly("10.0.0.2\tweb");
    }

    private ContainerStep step(String name, boolean failUp, boolean failDown) {
        return new ContainerStep() {
            public String name() { return name; }
            public void setUp(StepRun run) throws IOException {
                calls.add("up " + name);
                if (failUp) throw new IOException(name + " broke");
            }
            public void tearDown(StepRun run) throws IOException {
                calls.add("down " + name);
                if (failDown) throw new IOException(name + " stuck");
            }
        };
    }
}
