package io.berth.network.runtime;

import io.berth.oci.errors.FailedPreconditionException;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerPaths;
import io.berth.runtime.ContainerSpec;
import io.berth.runtime.ContainerState;
import io.berth.runtime.NetworkSpec;
import io.berth.runtime.StepRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The modes that need neither netavark nor root: none, host and container:ID. */
class NetworkStepModesTest {
    private static final String OTHER = "b".repeat(64);

    @TempDir
    Path tmp;

    private NetworkStep step(InMemoryNetworks networks) throws Exception {
        Path etc = tmp.resolve("etc");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost\n# comment\n192.168.5.9 build-box\n");
        Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.53\nsearch lan\n");
        Netavark netavark = new Netavark(Path.of("/nonexistent"), Path.of("/nonexistent"), tmp);
        return new NetworkStep(tmp.resolve("exec"), networks, networks, netavark, new PortReservations(),
                new WarmNetworks(tmp.resolve("exec"), networks, netavark),
                new PrewiredNamespaces(tmp.resolve("exec"), networks, netavark, new WarmNetworks(tmp.resolve("exec"), networks, netavark)), id -> id.equals(OTHER) ? Optional.of(Path.of("/proc/4242/ns/net")) : Optional.empty(), etc);
    }

    private Container container(NetworkSpec spec) {
        String id = "a".repeat(64);
        return new Container(ContainerSpec.builder(id).network(spec).build(), "x", ContainerState.created(), 0, "crun", 0, false,
                ContainerPaths.of(tmp.resolve("data"), tmp.resolve("exec"), id));
    }

    private static NetworkSpec mode(String mode, List<NetworkSpec.HostEntry> extraHosts) {
        return new NetworkSpec("", mode, List.of(), List.of(), List.of(), false, List.of(), List.of(), List.of(), extraHosts);
    }

    @Test
    void noneLeavesTheRunAlone() throws Exception {
        StepRun run = new StepRun(container(NetworkSpec.DEFAULT));
        step(new InMemoryNetworks()).setUp(run);
        assertThat(run.networkNamespace()).isEmpty();
        assertThat(run.hostNetwork()).isFalse();
        assertThat(run.hostsLines()).isEmpty();
        assertThat(run.resolvConfContent()).isEmpty();
        step(new InMemoryNetworks()).tearDown(run); // nothing to undo is fine
    }

    @Test
    void hostModeSharesTheHostsNamespaceEntriesAndResolvers() throws Exception {
        InMemoryNetworks networks = new InMemoryNetworks();
        networks.add("bridge", "berth0", "172.30.0", false);
        StepRun run = new StepRun(container(mode("host", List.of(new NetworkSpec.HostEntry("gw", "host-gateway"),
                new NetworkSpec.HostEntry("db", "10.1.1.1")))));
        step(networks).setUp(run);
        assertThat(run.hostNetwork()).isTrue();
        assertThat(run.hostsLines()).containsExactly("192.168.5.9 build-box", "172.30.0.1\tgw", "10.1.1.1\tdb");
        assertThat(run.resolvConfContent()).contains("search lan\nnameserver 127.0.0.53\n");
    }

    @Test
    void containerModeJoinsTheOtherContainersNamespace() throws Exception {
        StepRun run = new StepRun(container(mode("container:" + OTHER, List.of())));
        step(new InMemoryNetworks()).setUp(run);
        assertThat(run.networkNamespace()).contains(Path.of("/proc/4242/ns/net"));
        StepRun stopped = new StepRun(container(mode("container:" + "c".repeat(64), List.of())));
        assertThatThrownBy(() -> step(new InMemoryNetworks()).setUp(stopped)).isInstanceOf(FailedPreconditionException.class)
                .hasMessageContaining("non running container");
    }

    @Test
    void anUnknownNetworkIsNotFound() {
        NetworkSpec spec = new NetworkSpec("", "nope", List.of(new NetworkSpec.Attachment("nope", "", List.of(), "", "", "")),
                List.of(), List.of(), false, List.of(), List.of(), List.of(), List.of());
        assertThatThrownBy(() -> step(new InMemoryNetworks()).setUp(new StepRun(container(spec))))
                .hasMessage("network nope not found");
    }
}
