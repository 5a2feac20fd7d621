package io.berth.daemon.networks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

import io.berth.daemon.api.ContainerNetworkStatus;
import io.berth.daemon.api.NetworkResolver;
import io.berth.daemon.api.NetworkStatusSource;
import io.berth.network.ConnectRequest;
import io.berth.network.Endpoint;
import io.berth.network.IpamConfig;
import io.berth.network.Lease;
import io.berth.network.Network;
import io.berth.network.NetworkConnector;
import io.berth.network.NetworkEndpoints;
import io.berth.network.NetworkService;
import io.berth.network.NetworkUsers;
import io.berth.network.runtime.AddressLeases;
import io.berth.network.runtime.NetworkAttacher;
import io.berth.network.runtime.NetworkCatalog;
import io.berth.network.runtime.NetworkStatus;
import io.berth.network.runtime.NetworkStatusReader;
import io.berth.network.runtime.WarmNetworks;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerService;
import io.berth.runtime.NetworkSpec;

/**
 * Where containers meet networks: the network definitions as the run step reads them (catalog and address
 * leases), which containers use a network (for rm, prune and dangling), their endpoints for network inspect, and
 * connect/disconnect, which change the container's saved settings and, when it runs, its live namespace.
 */
public final class ContainerNetworks implements NetworkUsers, NetworkEndpoints, NetworkConnector {
    private final NetworkService networks;
    private final Supplier<ContainerService> containers;
    private volatile NetworkAttacher attacher;
    private volatile WarmNetworks warm;
    private volatile java.util.function.Consumer<String> afterChange = id -> {};

    /** {@code containers} is asked lazily: the container service is built with this class's catalog in it. */
    public ContainerNetworks(NetworkService networks, Supplier<ContainerService> containers) {
        this.networks = networks;
        this.containers = containers;
    }

    public void attacher(NetworkAttacher attacher) {
        this.attacher = attacher;
    }

    /** Told the container's id after each connect and disconnect (names on the network changed: link lines follow them). */
    public void afterChange(java.util.function.Consumer<String> hook) {
        this.afterChange = hook;
    }

    /** The placeholders that keep used networks warm; a removed network's goes with it. */
    public void warm(WarmNetworks warm) {
        this.warm = warm;
    }

    @Override
    public void removed(Network network) {
        WarmNetworks w = warm;
        if (w != null) w.retire(network.id());
    }

    // ---------------------------------------------------------------- what the run step reads

    public NetworkCatalog catalog() {
        return ref -> {
            Network n;
            try {
                n = networks.inspect(ref);
            } catch (NotFoundException e) {
                return Optional.empty();
            }
            List<NetworkCatalog.Subnet> subnets = n.ipam().stream()
                    .map(c -> new NetworkCatalog.Subnet(c.subnet(), c.gateway())).toList();
            return Optional.of(new NetworkCatalog.NetworkFacts(n.id(), n.name(), n.bridgeName(), subnets, n.enableIPv6(),
                    n.internal(), n.dnsEnabled(), n.mtu().orElse(0), Map.of()));
        };
    }

    public AddressLeases leases() {
        return new AddressLeases() {
            @Override
            public List<String> allocate(String networkId, String containerId, String ipv4, String ipv6) {
                return addresses(networkId, networks.allocate(networkId, containerId, emptyToNull(ipv4), emptyToNull(ipv6)));
            }

            private List<String> addresses(String networkId, Lease l) {
                List<String> out = new ArrayList<>();
                Network n = networks.inspect(networkId);
                for (IpamConfig c : n.ipam()) out.add(c.ipv6() ? l.ipv6() : l.ipv4());
                return out;
            }

            @Override
            public List<String> allocateTop(String networkId, String owner) {
                Lease l = networks.allocateTop(networkId, owner);
                List<String> out = new ArrayList<>();
                for (IpamConfig c : networks.inspect(networkId).ipam()) out.add(c.ipv6() ? l.ipv6() : l.ipv4());
                return out;
            }

            @Override
            public void release(String networkId, String containerId) {
                networks.release(networkId, containerId);
            }

            @Override
            public void transfer(String networkId, String from, String to) {
                networks.transfer(networkId, from, to);
            }
        };
    }

    /** The pid of a running container's init, for --network container:ID. */
    public OptionalInt pidOf(String containerId) {
        try {
            Container c = containers.get().inspect(containerId);
            return c.state().isRunning() && c.state().pid() > 0 ? OptionalInt.of(c.state().pid()) : OptionalInt.empty();
        } catch (NotFoundException e) {
            return OptionalInt.empty();
        }
    }

    /** A container as Docker names one whose network cannot be joined: "container NAME is STATE". */
    public String describe(String containerId) {
        try {
            Container c = containers.get().inspect(containerId);
            return "container " + c.name() + " is " + c.state().status().dockerName();
        } catch (NotFoundException e) {
            return "container " + containerId + " is gone";
        }
    }

    // ---------------------------------------------------------------- what create, inspect, ps and port read

    /** Networks named at create or by a build: name, full id or unique id prefix. */
    public NetworkResolver resolver() {
        return ref -> {
            Network n = networks.inspect(ref);
            return new NetworkResolver.Network(n.id(), n.name());
        };
    }

    /** A running container's network status in the API's terms. */
    public NetworkStatusSource statusSource() {
        return id -> {
            Container c;
            try {
                c = containers.get().inspect(id);
            } catch (NotFoundException e) {
                return Optional.empty();
            }
            return status(c).map(s -> view(c, s));
        };
    }

    private ContainerNetworkStatus view(Container c, NetworkStatus s) {
        List<ContainerNetworkStatus.Endpoint> endpoints = new ArrayList<>();
        boolean ipv6 = false;
        for (NetworkStatus.Endpoint e : s.networks()) {
            // Docker's default bridge has no name resolution, so no DNS names either
            boolean dns = !e.network().equals(Network.DEFAULT_BRIDGE);
            // Docker's DNSNames: the container's name first, then its aliases and short id
            java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
            names.add(c.name());
            names.addAll(e.dnsNames());
            endpoints.add(new ContainerNetworkStatus.Endpoint(e.network(), e.networkId(), endpointId(c, e), e.macAddress(),
                    e.ipv4(), e.ipv4Prefix(), e.gateway(), e.ipv6(), e.ipv6Prefix(), e.ipv6Gateway(), e.aliases(),
                    dns ? List.copyOf(names) : List.of()));
            ipv6 |= !e.ipv6().isEmpty();
        }
        List<ContainerNetworkStatus.PortMapping> ports = new ArrayList<>();
        for (NetworkStatus.Port p : s.ports()) {
            if (!p.hostIp().isEmpty()) {
                ports.add(new ContainerNetworkStatus.PortMapping(p.containerPort(), p.protocol(), p.hostIp(), p.hostPort()));
                continue;
            }
            // every address: IPv4's, and IPv6's when the container has an IPv6 address to forward to
            ports.add(new ContainerNetworkStatus.PortMapping(p.containerPort(), p.protocol(), "0.0.0.0", p.hostPort()));
            if (ipv6) ports.add(new ContainerNetworkStatus.PortMapping(p.containerPort(), p.protocol(), "::", p.hostPort()));
        }
        String sandbox = s.netns().isEmpty() ? "" : io.berth.oci.Digest.sha256(s.netns().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
        return new ContainerNetworkStatus(sandbox, s.netns(), endpoints, ports);
    }

    // ---------------------------------------------------------------- users and endpoints

    /**
     * Containers connected to the network, running or not. Stricter than Docker, whose stopped containers have no
     * endpoint and so do not hold a network back (they then fail to start): berth keeps a network a container
     * still names, so removing it cannot break that container's next start.
     */
    @Override
    public List<String> containersUsing(Network network) {
        return containers.get().list().stream()
                .filter(c -> c.spec().network().attachments().stream().anyMatch(a -> a.networkId().equals(network.id())))
                .map(Container::id).toList();
    }

    @Override
    public Map<String, Endpoint> endpoints(Network network) {
        Map<String, Endpoint> out = new LinkedHashMap<>();
        for (Container c : containers.get().list()) {
            if (!c.state().isRunning()) continue;
            status(c).ifPresent(s -> s.networks().stream().filter(e -> e.networkId().equals(network.id())).findFirst()
                    .ifPresent(e -> out.put(c.id(), new Endpoint(c.name(), endpointId(c, e), e.macAddress(),
                            e.ipv4().isEmpty() ? "" : e.ipv4() + "/" + e.ipv4Prefix(),
                            e.ipv6().isEmpty() ? "" : e.ipv6() + "/" + e.ipv6Prefix()))));
        }
        return out;
    }

    /** What the container's network setup made, when it runs with a network of its own. */
    public static Optional<NetworkStatus> status(Container c) {
        try {
            return NetworkStatusReader.read(c.paths().runDir());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A stable id for the container's endpoint on a network (Docker's EndpointID is 64 hex). */
    public static String endpointId(Container c, NetworkStatus.Endpoint e) {
        return io.berth.oci.Digest.sha256((c.id() + "/" + e.networkId()).getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
    }

    // ---------------------------------------------------------------- connect and disconnect

    @Override
    public void connect(Network network, ConnectRequest rq) {
        if (!network.driver().equals(Network.BRIDGE_DRIVER)) {
            throw new ConflictException("container cannot be disconnected from host network or connected to host network");
        }
        Container changed = containers.get().changeNetwork(rq.container(), c -> {
            NetworkSpec spec = c.spec().network();
            if (spec.isHost()) throw new ConflictException("container cannot be disconnected from host network or connected to host network");
            if (!spec.joinedContainer().isEmpty()) {
                throw new ConflictException("container sharing network namespace with another container or host cannot be connected to any other network");
            }
            if (spec.isNone()) {
                throw new ConflictException("container cannot be connected to multiple networks with one of the networks in private (none) mode");
            }
            if (spec.attachments().stream().anyMatch(a -> a.networkId().equals(network.id()))) {
                throw new ConflictException("endpoint with name " + c.name() + " already exists in network " + network.name());
            }
            if (!rq.links().isEmpty() && network.name().equals(Network.DEFAULT_BRIDGE)) {
                // Docker keeps them as DNS aliases on a network that has no DNS: nothing could resolve them
                throw new io.berth.oci.errors.InvalidArgumentException("berth does not support EndpointConfig.Links on the default bridge network: "
                        + "links are only supported for user-defined networks (legacy links are HostConfig.Links at create)");
            }
            NetworkSpec.Attachment a = new NetworkSpec.Attachment(network.name(), network.id(), rq.aliases(),
                    rq.ipv4Address(), rq.ipv6Address(), "", rq.links());
            if (c.state().isRunning()) {
                try {
                    attacher.connect(c, a);
                } catch (IOException e) {
                    throw new SystemFailureException("connecting " + c.name() + " to " + network.name() + ": " + e.getMessage(), e);
                }
            }
            List<NetworkSpec.Attachment> all = new ArrayList<>(spec.attachments());
            all.add(a);
            return withAttachments(spec, all);
        });
        afterChange.accept(changed.id());
    }

    @Override
    public void disconnect(Network network, String container, boolean force) {
        Container changed = containers.get().changeNetwork(container, c -> {
            NetworkSpec spec = c.spec().network();
            if (spec.isHost() && network.driver().equals("host")) {
                throw new ConflictException("container cannot be disconnected from host network or connected to host network");
            }
            List<NetworkSpec.Attachment> rest = spec.attachments().stream()
                    .filter(a -> !a.networkId().equals(network.id())).toList();
            if (rest.size() == spec.attachments().size()) {
                throw new FailedPreconditionException("container " + c.id() + " is not connected to network " + network.name());
            }
            if (c.state().isRunning()) {
                try {
                    attacher.disconnect(c, network.id());
                } catch (IOException e) {
                    if (!force) throw new SystemFailureException("disconnecting " + c.name() + " from " + network.name() + ": " + e.getMessage(), e);
                }
            }
            return withAttachments(spec, rest);
        });
        afterChange.accept(changed.id());
    }

    /** The spec with new attachments; the mode stays what was asked at create, as HostConfig.NetworkMode does in Docker. */
    private static NetworkSpec withAttachments(NetworkSpec s, List<NetworkSpec.Attachment> attachments) {
        return new NetworkSpec(s.hostname(), s.mode(), attachments, s.ports(), s.exposed(), s.publishAll(), s.dns(),
                s.dnsSearch(), s.dnsOptions(), s.extraHosts(), s.links());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
