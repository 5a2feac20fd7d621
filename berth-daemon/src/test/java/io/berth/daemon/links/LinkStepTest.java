package io.berth.daemon.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.berth.oci.errors.FailedPreconditionException;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.ContainerState;
import io.berth.runtime.NetworkSpec;
import io.berth.runtime.StepRun;

class LinkStepTest {
    private static final String WEB = "a".repeat(64);
    private static final String DB = "b".repeat(64);
    private static final String GONE = "c".repeat(64);

    private static StepRun run(String mode, List<NetworkSpec.Attachment> on, NetworkSpec.Link... links) {
        NetworkSpec net = new NetworkSpec("web-host", mode, on, List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of())
                .withLinks(List.of(links));
        ContainerSpec spec = ContainerSpec.builder(WEB).args(List.of("true")).network(net).build();
        return new StepRun(new Container(spec, "web", ContainerState.created(), 0, "crun", 0, false, null));
    }

    private static final List<NetworkSpec.Attachment> BRIDGE = List.of(new NetworkSpec.Attachment("bridge", "n".repeat(64), List.of(), "", "", ""));

    private static LinkStep step(Map<String, LinkStep.Linked> containers) {
        return new LinkStep(id -> Optional.ofNullable(containers.get(id)));
    }

    @Test
    void hostsLinesNameTheAliasTheHostnameAndTheNameUnlessItIsTheAlias() {
        LinkStep.Linked db = new LinkStep.Linked("db", "bbbbbbbbbbbb", true, "172.17.0.2", "fd00::2", List.of("PASSWORD=x"), List.of("5432/tcp"));
        StepRun r = run("bridge", BRIDGE, new NetworkSpec.Link(DB, "database"), new NetworkSpec.Link(DB, "db"), new NetworkSpec.Link(GONE, "old"));
        step(Map.of(DB, db)).setUp(r);
        assertThat(r.hostsLines()).containsExactly("172.17.0.2\tdatabase bbbbbbbbbbbb db", "fd00::2\tdatabase bbbbbbbbbbbb db",
                "172.17.0.2\tdb bbbbbbbbbbbb", "fd00::2\tdb bbbbbbbbbbbb");
        assertThat(r.env()).contains("DATABASE_NAME=/web/database", "DATABASE_PORT=tcp://172.17.0.2:5432", "DB_NAME=/web/db",
                "DB_ENV_PASSWORD=x");
        assertThat(r.env()).noneMatch(e -> e.startsWith("OLD_")).as("a removed container's link is dropped with it");
    }

    @Test
    void aLinkedContainerThatDoesNotRunOrIsNotOnTheBridgeFailsTheStart() {
        LinkStep.Linked stopped = new LinkStep.Linked("db", "h", false, "", "", List.of(), List.of());
        assertThatThrownBy(() -> step(Map.of(DB, stopped)).setUp(run("bridge", BRIDGE, new NetworkSpec.Link(DB, "d"))))
                .isInstanceOf(FailedPreconditionException.class).hasMessage("Cannot link to a non running container: /db AS /web/d");
        LinkStep.Linked elsewhere = new LinkStep.Linked("db", "h", true, "", "", List.of(), List.of());
        assertThatThrownBy(() -> step(Map.of(DB, elsewhere)).setUp(run("bridge", BRIDGE, new NetworkSpec.Link(DB, "d"))))
                .hasMessage("container " + DB + " not attached to default bridge network");
    }

    @Test
    void aContainerDisconnectedFromTheBridgeFollowsNoLinks() {
        StepRun r = run("bridge", List.of(), new NetworkSpec.Link(DB, "d"));
        step(Map.of()).setUp(r);
        assertThat(r.hostsLines()).isEmpty();
        assertThat(r.env()).isEmpty();
    }
}
