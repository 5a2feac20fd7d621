package io.berth.network.runtime;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.FailedPreconditionException;
import io.berth.oci.errors.NotFoundException;
import io.berth.runtime.Container;
import io.berth.runtime.NetworkSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Connects a running container to one more network, or disconnects it from one, through netavark with only
 * that network. The write-ahead record gains the network before netavark sets it up and loses it only after
 * netavark tore it down, so a kill in between leaves a record that still undoes everything.
 */
public final class NetworkAttacher {
    private final NetworkCatalog catalog;
    private final AddressLeases leases;
    private final Netavark netavark;
    private final WarmNetworks warm;
    private final Path hostEtc;

    public NetworkAttacher(NetworkCatalog catalog, AddressLeases leases, Netavark netavark, WarmNetworks warm, Path hostEtc) {
        this.catalog = catalog;
        this.leases = leases;
        this.netavark = netavark;
        this.warm = warm;
        this.hostEtc = hostEtc;
    }

    /**
     * Connects running container {@code c}. When this is its first network with name resolution (it ran on the
     * default bridge only, say), its resolv.conf is pointed at that network's resolver, as Docker starts its
     * embedded DNS on such a connect: without it the container could not look up the names on the network it
     * just joined. Its /etc/hosts gains its addresses on the network, as Docker adds them. Both files are
     * rewritten in place because they are bind-mounted (a rename would not be seen).
     */
    public NetworkStatus.Endpoint connect(Container c, NetworkSpec.Attachment attachment) throws IOException {
        boolean hadResolver = new NetworkRecords(c.paths().runDir()).readStatus()
                .map(s -> s.networks().stream().anyMatch(e -> !e.dnsNames().isEmpty())).orElse(false);
        List<String> resolvers = new ArrayList<>();
        NetworkStatus.Endpoint e = connect(c.id(), c.paths().runDir(), attachment, resolvers);
        if (!hadResolver && !resolvers.isEmpty()) {
            NetworkSpec spec = c.spec().network();
            Path hostResolvConf = hostEtc.resolve("resolv.conf");
            ResolvConf.Parsed host = ResolvConf.parse(Files.exists(hostResolvConf) ? Files.readString(hostResolvConf) : "");
            Files.writeString(c.paths().resolvConfFile(),
                    ResolvConf.build(host, resolvers, false, spec.dns(), spec.dnsSearch(), spec.dnsOptions()));
        }
        io.berth.runtime.LiveHostsFile.edit(c.paths().hostsFile(), lines -> {
            lines.addAll(ownHostsLines(c, e));
            return lines;
        });
        return e;
    }

    /**
     * Disconnects running container {@code c} from {@code network} (name or id); its /etc/hosts loses its addresses
     * on it, as Docker removes them.
     */
    public void disconnect(Container c, String network) throws IOException {
        List<NetworkStatus.Endpoint> before = new NetworkRecords(c.paths().runDir()).readStatus().map(NetworkStatus::networks).orElse(List.of());
        disconnect(c.id(), c.paths().runDir(), network);
        List<String> gone = before.stream().filter(e -> e.network().equals(network) || e.networkId().equals(network))
                .flatMap(e -> ownHostsLines(c, e).stream()).toList();
        if (!gone.isEmpty()) {
            io.berth.runtime.LiveHostsFile.edit(c.paths().hostsFile(), lines -> {
                lines.removeAll(gone);
                return lines;
            });
        }
    }

    /** The container's own lines for endpoint {@code e}, as its start writes them. */
    private static List<String> ownHostsLines(Container c, NetworkStatus.Endpoint e) {
        List<String> lines = new ArrayList<>();
        if (!e.ipv4().isEmpty()) lines.add(e.ipv4() + "\t" + NetworkStep.hostname(c));
        if (!e.ipv6().isEmpty()) lines.add(e.ipv6() + "\t" + NetworkStep.hostname(c));
        return lines;
    }

    /** Connects the container whose network records are under {@code runDir}; its new endpoint. */
    public NetworkStatus.Endpoint connect(String containerId, Path runDir, NetworkSpec.Attachment attachment) throws IOException {
        return connect(containerId, runDir, attachment, new ArrayList<>());
    }

    /** Connects; the network's resolvers (aardvark-dns's addresses) are added to {@code resolvers}. */
    private NetworkStatus.Endpoint connect(String containerId, Path runDir, NetworkSpec.Attachment attachment,
                                           List<String> resolvers) throws IOException {
        NetworkRecords records = new NetworkRecords(runDir);
        NetworkRecords.Teardown t = records.readTeardown().filter(r -> r.options() != null).orElseThrow(() ->
                new FailedPreconditionException("container " + containerId + " has no network of its own to connect"));
        NetworkCatalog.NetworkFacts f = Endpoints.facts(catalog, attachment);
        if (t.options().networks().containsKey(Endpoints.netavarkName(f)) || t.networkIds().contains(f.id())) {
            throw new ConflictException("endpoint with name " + t.options().containerName() + " already exists in network " + f.name());
        }
        NetworkStatus status = records.readStatus().orElseThrow(() -> new FailedPreconditionException("container " + containerId + " is not running"));
        String ifname = "eth" + nextInterface(t.options());
        warm.ensure(f);

        List<String> ids = new ArrayList<>(t.networkIds());
        ids.add(f.id());
        records.writeTeardown(new NetworkRecords.Teardown(t.netns(), ids, t.options()));
        List<String> addresses = leases.allocate(f.id(), containerId, attachment.ipv4Address(), attachment.ipv6Address());
        Map<String, NetavarkJson.PerNetwork> per = new HashMap<>(t.options().networks());
        per.put(Endpoints.netavarkName(f), Endpoints.perNetwork(containerId, attachment, f, ifname, addresses));
        Map<String, NetavarkJson.Network> info = new HashMap<>(t.options().networkInfo());
        info.put(Endpoints.netavarkName(f), Endpoints.network(f));
        NetavarkJson.Options all = new NetavarkJson.Options(containerId, t.options().containerName(), per, info,
                t.options().portMappings(), t.options().dnsServers());
        records.writeTeardown(new NetworkRecords.Teardown(t.netns(), ids, all));
        NetavarkJson.Options one = Endpoints.only(all, Endpoints.netavarkName(f), false);
        Map<String, NetavarkJson.StatusBlock> result = netavark.setup(Path.of(t.netns()), one, records.netavarkInput());
        NeighbourTcp.apply(Path.of(t.netns()), result, records.netavarkInput());
        NetavarkJson.StatusBlock block = result.get(Endpoints.netavarkName(f));
        NetworkStatus.Endpoint e = Endpoints.endpoint(f, attachment, containerId, ifname, block);
        if (f.dnsEnabled() && block.dnsServerIps() != null) resolvers.addAll(block.dnsServerIps());
        List<NetworkStatus.Endpoint> endpoints = new ArrayList<>(status.networks());
        endpoints.add(e);
        records.writeStatus(status.withNetworks(endpoints));
        return e;
    }

    /** Disconnects the container from {@code network} (name or id). */
    public void disconnect(String containerId, Path runDir, String network) throws IOException {
        NetworkRecords records = new NetworkRecords(runDir);
        NetworkRecords.Teardown t = records.readTeardown().filter(r -> r.options() != null).orElseThrow(() ->
                new FailedPreconditionException("container " + containerId + " is not connected to network " + network));
        String name = t.options().networkInfo().values().stream()
                .filter(n -> n.name().equals(network) || n.id().equals(network) || n.id().startsWith(network))
                .map(NetavarkJson.Network::name).findFirst()
                .orElseThrow(() -> new NotFoundException("container " + containerId + " is not connected to network " + network));
        String id = t.options().networkInfo().get(name).id();
        // the ports are forwarded to the first network's address: they go with that network only
        boolean first = records.readStatus().map(s -> !s.networks().isEmpty() && s.networks().getFirst().networkId().equals(id)).orElse(false);
        NetavarkJson.Options one = Endpoints.only(t.options(), name, first);
        netavark.teardown(Path.of(t.netns()), one, records.netavarkInput());

        Map<String, NetavarkJson.PerNetwork> per = new HashMap<>(t.options().networks());
        per.remove(name);
        Map<String, NetavarkJson.Network> info = new HashMap<>(t.options().networkInfo());
        info.remove(name);
        NetavarkJson.Options rest = new NetavarkJson.Options(containerId, t.options().containerName(), per, info,
                first ? null : t.options().portMappings(), t.options().dnsServers());
        List<String> ids = new ArrayList<>(t.networkIds());
        ids.remove(id);
        records.writeTeardown(new NetworkRecords.Teardown(t.netns(), ids, rest));
        leases.release(id, containerId);
        var status = records.readStatus();
        if (status.isPresent()) {
            // an interface of that name made by a later connect is a new device, counting from zero
            records.writeStatus(status.get().withNetworks(status.get().networks().stream().filter(e -> !e.networkId().equals(id)).toList())
                    .withoutCounters(t.options().networks().get(name).interfaceName()));
        }
    }

    private static int nextInterface(NetavarkJson.Options options) {
        int max = -1;
        for (NetavarkJson.PerNetwork p : options.networks().values()) {
            max = Math.max(max, Integer.parseInt(p.interfaceName().substring(3)));
        }
        return max + 1;
    }
}
