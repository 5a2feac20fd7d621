package io.berth.daemon.links;

import java.util.Optional;
import java.util.function.Supplier;

import io.berth.daemon.api.ContainerNetworkStatus;
import io.berth.daemon.api.NetworkStatusSource;
import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.runtime.NetworkSpec;

/** The linked containers as the container service and the network status see them at the linking container's start. */
public final class LinkTargets implements LinkStep.Containers {
    /** A chain of container:ID modes longer than this is a loop a removal and re-create left, not a namespace owner. */
    private static final int MAX_HOPS = 16;

    private final Supplier<ContainerService> containers;
    private final NetworkStatusSource status;

    /** @param containers the service, given late: it is made with the steps, this among them */
    public LinkTargets(Supplier<ContainerService> containers, NetworkStatusSource status) {
        this.containers = containers;
        this.status = status;
    }

    @Override
    public Optional<LinkStep.Linked> find(String id) {
        Container c;
        try {
            c = containers.get().inspect(id);
            // a container in another's network namespace: that one is what the link reaches (Docker's rule)
            for (int hops = 0; !c.spec().network().joinedContainer().isEmpty() && hops < MAX_HOPS; hops++) {
                c = containers.get().inspect(c.spec().network().joinedContainer());
            }
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        Optional<ContainerNetworkStatus.Endpoint> bridge = status.status(c.id()).flatMap(s -> s.endpoints().stream()
                .filter(e -> e.network().equals(NetworkSpec.DEFAULT_BRIDGE)).findFirst());
        String hostname = c.spec().network().hostname().isEmpty() ? c.id().substring(0, 12) : c.spec().network().hostname();
        return Optional.of(new LinkStep.Linked(c.name(), hostname, c.state().isRunning(),
                bridge.map(ContainerNetworkStatus.Endpoint::ipv4Address).orElse(""),
                bridge.map(ContainerNetworkStatus.Endpoint::ipv6Address).orElse(""),
                c.spec().process().env(), c.spec().network().exposed()));
    }
}
