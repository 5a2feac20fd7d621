package io.berth.daemon.links;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.berth.daemon.api.ContainerNetworkStatus;
import io.berth.daemon.api.NetworkStatusSource;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;

/** The endpoints of running containers as a link on a user-defined network looks them up: what aardvark-dns knows. */
public final class RunningPeers {
    private final Supplier<ContainerService> containers;
    private final NetworkStatusSource status;

    /** @param containers the service, given late: it is made with the steps, the link step among them */
    public RunningPeers(Supplier<ContainerService> containers, NetworkStatusSource status) {
        this.containers = containers;
        this.status = status;
    }

    public List<EndpointLinkHosts.Peer> list() {
        List<EndpointLinkHosts.Peer> out = new ArrayList<>();
        for (Container c : containers.get().list()) {
            if (!c.state().isRunning()) continue;
            // no status once its network is torn down: a container that is dying answers to nothing any more
            for (ContainerNetworkStatus.Endpoint e : status.status(c.id()).map(ContainerNetworkStatus::endpoints).orElse(List.of())) {
                Set<String> names = new LinkedHashSet<>();
                names.add(c.name());
                names.addAll(e.dnsNames());
                names.add(c.id().substring(0, 12));
                out.add(new EndpointLinkHosts.Peer(e.networkId(), names, e.ipv4Address(), e.ipv6Address()));
            }
        }
        return out;
    }
}
