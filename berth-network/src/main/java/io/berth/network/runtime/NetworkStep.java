package io.berth.network.runtime;

import io.berth.oci.errors.FailedPreconditionException;
import io.berth.runtime.Container;
import io.berth.runtime.ContainerStep;
import io.berth.runtime.NetworkSpec;
import io.berth.runtime.StepRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container's network, by {@link NetworkSpec#mode()}:
 * <pre>
 * none          nothing: the runtime makes an empty namespace with loopback
 * host          the host's namespace; the host's /etc/hosts entries and resolv.conf
 * container:ID  that container's namespace (its namespace file, or its init's /proc/PID/ns/net)
 * NETWORK       a namespace file of its own, addresses leased on each network, host ports held, then
 *               netavark setup; /etc/hosts gets the container's own addresses and --add-host entries
 * </pre>
 * Set-up of a networked container, in the order that lets a kill at any point be undone by {@link #tearDown}:
 * each network kept warm ({@link WarmNetworks}: its bridge and rules outlive the container) → write-ahead record
 * (networks) → namespace → leases → ports → write-ahead record (netavark's exact options) → netavark setup →
 * status record. netavark runs on a thread of its own while the runtime creates the container (which joins the
 * namespace by path and needs no interface in it yet): the starter waits for it before the container's process
 * starts ({@link StepRun#finishBeforeStart}), and a tear-down waits for it first. Tear-down reads only the write-ahead record, never the spec (a network may have been connected
 * or disconnected since).
 * <p>
 * A container on the default bridge alone without ports or addresses of its own takes a namespace netavark wired
 * before its start, and its tear-down leaves netavark's part to the background ({@link PrewiredNamespaces}); its
 * records are those of a container wired on its own path.
 */
public final class NetworkStep implements ContainerStep {
    private static final Logger LOG = Logger.getLogger(NetworkStep.class.getName());

    /** Finds the namespace of a running container for {@code --network container:ID}. */
    @FunctionalInterface
    public interface ContainerNamespaces {
        /** The container's network namespace path (a netns file or /proc/PID/ns/net), empty unless it runs. */
        Optional<Path> of(String containerId);

        /** How the refusal to join a container that does not run names it: Docker's "container NAME is STATE". */
        default String describe(String containerId) {
            return "container " + containerId + " is not running";
        }
    }

    private final Path execRoot;
    private final NetworkCatalog catalog;
    private final AddressLeases leases;
    private final Netavark netavark;
    private final PortReservations ports;
    private final WarmNetworks warm;
    private final PrewiredNamespaces prewired;
    private final ContainerNamespaces namespaces;
    private final Path hostEtc;
    /** netavark set-ups still running, by container: a tear-down waits for its container's first. */
    private final Map<String, CompletableFuture<Void>> settingUp = new ConcurrentHashMap<>();

    public NetworkStep(Path execRoot, NetworkCatalog catalog, AddressLeases leases, Netavark netavark,
                       PortReservations ports, WarmNetworks warm, PrewiredNamespaces prewired, ContainerNamespaces namespaces,
                       Path hostEtc) {
        this.execRoot = execRoot;
        this.catalog = catalog;
        this.leases = leases;
        this.netavark = netavark;
        this.ports = ports;
        this.warm = warm;
        this.prewired = prewired;
        this.namespaces = namespaces;
        this.hostEtc = hostEtc;
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public void setUp(StepRun run) throws IOException {
        Container c = run.container();
        NetworkSpec spec = c.spec().network();
        if (spec.isNone()) {
            noneModeFiles(run, spec);
            return;
        }
        if (spec.isHost()) {
            run.useHostNetwork();
            hostModeFiles(run, spec);
            return;
        }
        if (!spec.joinedContainer().isEmpty()) {
            String other = spec.joinedContainer();
            Path ns = namespaces.of(other).orElseThrow(() -> new FailedPreconditionException(
                    "cannot join network namespace of a non running container: " + namespaces.describe(other)));
            // before the join: the joined container's interface is then never handed to another one (InterfaceReuse)
            if (ns.startsWith(Netns.path(execRoot, other).getParent())) Netns.markJoined(ns);
            run.joinNetworkNamespace(ns);
            return;
        }
        setUpNetworks(run, c, spec);
    }

    private void setUpNetworks(StepRun run, Container c, NetworkSpec spec) throws IOException {
        // every network disconnected: the container runs with loopback only, as Docker starts it
        if (spec.attachments().isEmpty()) return;
        NetworkRecords records = new NetworkRecords(c.paths().runDir());
        // what an earlier attempt left (berthd killed mid-start) is undone first: netavark cannot set up an
        // interface that is already there
        if (records.readTeardown().isPresent()) tearDown(run);
        Path netns = Netns.path(execRoot, c.id());
        List<NetworkCatalog.NetworkFacts> facts = spec.attachments().stream().map(a -> Endpoints.facts(catalog, a)).toList();
        List<String> ids = facts.stream().map(NetworkCatalog.NetworkFacts::id).toList();
        facts.forEach(warm::ensure);
        boolean fits = prewired.fits(spec, facts);
        if (fits) {
            Optional<PrewiredNamespaces.Ready> ready = prewired.take(facts.getFirst());
            if (ready.isPresent()) {
                // A lease the container still holds here is from a run whose records are gone (the exec root is on
                // tmpfs: a reboot): nothing uses its address, and the namespace brings an address of its own.
                try {
                    leases.release(facts.getFirst().id(), c.id());
                } catch (RuntimeException e) {
                    prewired.giveBack(ready.get());
                    throw e;
                }
                setUpPrewired(run, c, spec, ready.get(), records, netns);
                return;
            }
        }
        records.writeTeardown(new NetworkRecords.Teardown(netns.toString(), ids, null));
        Netns.create(netns);

        Map<String, NetavarkJson.PerNetwork> perNetwork = new LinkedHashMap<>();
        Map<String, NetavarkJson.Network> info = new LinkedHashMap<>();
        List<List<String>> leased = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            NetworkSpec.Attachment a = spec.attachments().get(i);
            NetworkCatalog.NetworkFacts f = facts.get(i);
            List<String> addresses = leases.allocate(f.id(), c.id(), a.ipv4Address(), a.ipv6Address());
            leased.add(addresses);
            perNetwork.put(Endpoints.netavarkName(f), Endpoints.perNetwork(c.id(), a, f, "eth" + i, addresses));
            info.put(Endpoints.netavarkName(f), Endpoints.network(f));
        }
        // none was ready: the next one is made now that this container holds its address
        if (fits) prewired.refill();
        List<NetworkStatus.Port> held = ports.reserve(c.id(), published(spec));
        NetavarkJson.Options options = new NetavarkJson.Options(c.id(), c.name(), perNetwork, info,
                held.isEmpty() ? null : Endpoints.portMappings(held), spec.dns().isEmpty() ? null : spec.dns());
        records.writeTeardown(new NetworkRecords.Teardown(netns.toString(), ids, options));
        run.joinNetworkNamespace(netns);

        // netavark wires the namespace while the runtime creates the container in it; the process starts after
        CompletableFuture<Void> wiring = new CompletableFuture<>();
        settingUp.put(c.id(), wiring);
        wiring.whenComplete((ok, failed) -> settingUp.remove(c.id(), wiring));
        Thread.ofVirtual().name("netavark-setup-" + c.id().substring(0, 12)).start(() -> {
            try {
                Map<String, NetavarkJson.StatusBlock> result = netavark.setup(netns, options, records.netavarkInput());
                NeighbourTcp.apply(netns, result, records.netavarkInput());
                List<NetworkStatus.Endpoint> endpoints = new ArrayList<>();
                for (int i = 0; i < facts.size(); i++) {
                    NetworkCatalog.NetworkFacts f = facts.get(i);
                    endpoints.add(Endpoints.endpoint(f, spec.attachments().get(i), c.id(), "eth" + i, result.get(Endpoints.netavarkName(f))));
                }
                records.writeStatus(new NetworkStatus(netns.toString(), endpoints, held));
                wiring.complete(null);
            } catch (Throwable t) {
                wiring.completeExceptionally(t);
            }
        });
        run.finishBeforeStart(wiring);
        writeFiles(run, c, spec, facts, leased);
    }

    /**
     * The start of a container that {@link PrewiredNamespaces#fits}, with a namespace netavark wired beforehand: its
     * write-ahead record first, with the options netavark would have been given for it on its own path, then the
     * hand-over, then its status from netavark's answer for the namespace. No netavark runs here.
     */
    private void setUpPrewired(StepRun run, Container c, NetworkSpec spec, PrewiredNamespaces.Ready ready,
                               NetworkRecords records, Path netns) throws IOException {
        NetworkCatalog.NetworkFacts f = ready.network();
        NetworkSpec.Attachment a = spec.attachments().getFirst();
        String name = Endpoints.netavarkName(f);
        NetavarkJson.Options options = new NetavarkJson.Options(c.id(), c.name(),
                Map.of(name, Endpoints.perNetwork(c.id(), a, f, "eth0", ready.addresses())), Map.of(name, Endpoints.network(f)), null, null);
        try {
            records.writeTeardown(new NetworkRecords.Teardown(netns.toString(), List.of(f.id()), options));
        } catch (IOException | RuntimeException e) {
            prewired.giveBack(ready);
            throw e;
        }
        prewired.handOver(ready, c.id(), netns);
        // the interface may have served a container before (PrewiredNamespaces#recycle), and counted traffic before
        // the start in any case: stats count from here, as from a namespace made at the start
        String counters = null;
        try {
            counters = Netns.inside(netns, () -> Files.readString(Path.of("/proc/thread-self/net/dev")));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "reading container " + c.id() + "'s interface counters at its start: " + e.getMessage());
        }
        records.writeStatus(new NetworkStatus(netns.toString(), List.of(Endpoints.endpoint(f, a, c.id(), "eth0", ready.status())), List.of(),
                counters));
        run.joinNetworkNamespace(netns);
        writeFiles(run, c, spec, List.of(f), List.of(ready.addresses()));
    }

    /** /etc/hosts and resolv.conf of a container on networks {@code facts}, with the addresses {@code leased} on each. */
    private void writeFiles(StepRun run, Container c, NetworkSpec spec, List<NetworkCatalog.NetworkFacts> facts,
                            List<List<String>> leased) throws IOException {
        // what the container's files say is known before netavark answers: the leased addresses, and netavark 1.4's
        // resolvers (a DNS network's gateways, in its subnets' order)
        String gateway = facts.getFirst().subnets().stream().map(NetworkCatalog.Subnet::gateway).filter(g -> !g.isEmpty() && !g.contains(":"))
                .findFirst().orElse("");
        addExtraHosts(run, spec, hostGateway(gateway));
        String hostname = hostname(c);
        for (List<String> addresses : leased) {
            addresses.stream().filter(ip -> !ip.contains(":")).findFirst().ifPresent(ip -> run.addHostsLine(ip + "\t" + hostname));
            addresses.stream().filter(ip -> ip.contains(":")).findFirst().ifPresent(ip -> run.addHostsLine(ip + "\t" + hostname));
        }
        List<String> resolvers = new ArrayList<>();
        for (NetworkCatalog.NetworkFacts f : facts) {
            if (!f.dnsEnabled()) continue;
            f.subnets().stream().map(NetworkCatalog.Subnet::gateway).filter(g -> !g.isEmpty() && !resolvers.contains(g)).forEach(resolvers::add);
        }
        run.resolvConf(ResolvConf.build(hostResolvConf(), resolvers, false, spec.dns(), spec.dnsSearch(), spec.dnsOptions()));
    }

    /** -p bindings, and with -P every exposed port that has none, on a random host port. */
    static List<NetworkStatus.Port> published(NetworkSpec spec) {
        List<NetworkStatus.Port> out = new ArrayList<>();
        for (NetworkSpec.PortBinding b : spec.ports()) out.add(new NetworkStatus.Port(b.containerPort(), b.protocol(), b.hostIp(), b.hostPort()));
        if (spec.publishAll()) {
            for (String exposed : spec.exposed()) {
                String[] f = exposed.split("/");
                int port = Integer.parseInt(f[0]);
                String proto = f.length > 1 ? f[1] : "tcp";
                boolean bound = spec.ports().stream().anyMatch(b -> b.containerPort() == port && b.protocol().equals(proto));
                if (!bound) out.add(new NetworkStatus.Port(port, proto, "", 0));
            }
        }
        return out;
    }

    @Override
    public void tearDown(StepRun run) throws IOException {
        Container c = run.container();
        CompletableFuture<Void> wiring = settingUp.get(c.id());
        if (wiring != null) {
            try {
                wiring.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                // a failed set-up is undone like any other
            }
        }
        NetworkRecords records = new NetworkRecords(c.paths().runDir());
        Optional<NetworkRecords.Teardown> record = records.readTeardown();
        Path netns = record.map(t -> Path.of(t.netns())).orElse(Netns.path(execRoot, c.id()));
        boolean deferred = false;
        if (record.isPresent() && prewired.defers(record.get()) && Netns.isMounted(netns)) {
            try {
                Optional<NetworkStatus.Endpoint> endpoint = records.readStatus().filter(s -> s.networks().size() == 1).map(s -> s.networks().getFirst())
                        .filter(e -> !e.ipv4().isEmpty() && e.ipv6().isEmpty());
                deferred = endpoint.isPresent() && InterfaceReuse.allows(c.spec(), netns, Files.exists(c.paths().privilegedExecMarker()))
                        && prewired.recycle(c.id(), record.get(), endpoint.get());
                if (!deferred) prewired.spend(c.id(), record.get());
                deferred = true;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "handing container " + c.id() + "'s namespace over for a tear-down afterwards: " + e.getMessage());
            }
        }
        if (!deferred && record.isPresent() && record.get().options() != null && Netns.isMounted(netns)) {
            try {
                netavark.teardown(netns, record.get().options(), records.netavarkInput());
            } catch (RuntimeException e) {
                // netavark undoes all it can and then lists what was not there (a setup killed half-way): the
                // rest of the tear-down must still happen
                LOG.log(Level.WARNING, "netavark teardown of container " + c.id() + ": " + e.getMessage());
            }
        }
        ports.release(c.id());
        if (record.isPresent()) for (String id : record.get().networkIds()) leases.release(id, c.id());
        Netns.delete(netns);
        records.delete();
    }

    private void hostModeFiles(StepRun run, NetworkSpec spec) throws IOException {
        Path hosts = hostEtc.resolve("hosts");
        if (Files.exists(hosts)) {
            for (String line : Files.readAllLines(hosts)) {
                String t = line.strip();
                // the runtime writes localhost's own lines; the rest of the host's entries follow them
                if (t.isEmpty() || t.startsWith("#") || t.contains("localhost") || t.contains("ip6-")) continue;
                run.addHostsLine(line);
            }
        }
        addExtraHosts(run, spec, hostGateway("127.0.0.1"));
        run.resolvConf(ResolvConf.build(hostResolvConf(), List.of(), true, spec.dns(), spec.dnsSearch(), spec.dnsOptions()));
    }

    /**
     * Loopback only, yet /etc/hosts and resolv.conf are the container's as in every other mode (Docker writes them
     * for none too): --add-host entries, and --dns* over the host's resolv.conf. Without either the runtime's
     * defaults stand.
     */
    private void noneModeFiles(StepRun run, NetworkSpec spec) throws IOException {
        addExtraHosts(run, spec, hostGateway("127.0.0.1"));
        if (!spec.dns().isEmpty() || !spec.dnsSearch().isEmpty() || !spec.dnsOptions().isEmpty()) {
            run.resolvConf(ResolvConf.build(hostResolvConf(), List.of(), false, spec.dns(), spec.dnsSearch(), spec.dnsOptions()));
        }
    }

    /**
     * What "host-gateway" stands for: the host's address on the default bridge, whatever network the container is
     * on, as Docker's default host-gateway-ip is the default bridge's address; {@code otherwise} without one.
     */
    private String hostGateway(String otherwise) {
        return catalog.find(NetworkSpec.DEFAULT_BRIDGE).flatMap(f -> f.subnets().stream().findFirst())
                .map(NetworkCatalog.Subnet::gateway).orElse(otherwise);
    }

    /** --add-host entries, "host-gateway" as {@link #hostGateway}. */
    private static void addExtraHosts(StepRun run, NetworkSpec spec, String gateway) {
        for (NetworkSpec.HostEntry h : spec.extraHosts()) {
            String addr = h.address().equals("host-gateway") ? gateway : h.address();
            run.addHostsLine(addr + "\t" + h.host());
        }
    }

    private ResolvConf.Parsed hostResolvConf() throws IOException {
        Path file = hostEtc.resolve("resolv.conf");
        return ResolvConf.parse(Files.exists(file) ? Files.readString(file) : "");
    }

    /** The name the container's own /etc/hosts lines give its addresses: --hostname, else its short id. */
    static String hostname(Container c) {
        String h = c.spec().network().hostname();
        return h.isEmpty() ? c.id().substring(0, 12) : h;
    }
}
