package io.berth.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.berth.network.host.HostNetworkClaims;

import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;

/**
 * Docker's rules for network definitions over {@link NetworkStore}: what create accepts (only the bridge driver,
 * only options berth applies, anything else refused by name), unique names, subnets that overlap neither another
 * berth network nor a host route, the predefined bridge/host/none networks, removal refused for predefined and
 * used networks, and prune. One lock serialises every change, so two creates never pick one subnet or one name.
 */
public final class NetworkService {
    /** The driver options berth hands netavark; any other is refused rather than stored and ignored. */
    static final Set<String> SUPPORTED_OPTIONS = Set.of(Network.OPT_BRIDGE_NAME, Network.OPT_MTU);
    static final String DEFAULT_BRIDGE_INTERFACE = "berth0";
    private static final Pattern INTERFACE = Pattern.compile("[a-zA-Z0-9_.-]{1,15}");
    /**
     * Made at the first network id, not when the class loads: berthd's option parsing calls
     * {@link #checkDefaultOptions} before it binds its socket, and seeding a SecureRandom (the JDK's security
     * providers) was a quarter of a second of that path under load.
     */
    private static final class Ids {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /** Where create and destroy events go (the daemon's event bus). */
    @FunctionalInterface
    public interface NetworkEvents {
        NetworkEvents NONE = (action, n) -> {};

        void publish(String action, Network network);
    }

    /** A list or prune filter, told whether the network is used. */
    @FunctionalInterface
    public interface Selector {
        boolean test(Network network, boolean inUse);
    }

    private final NetworkStore store;
    private final AddressAllocator addresses;
    private final NetworkUsers users;
    private final NetworkEvents events;
    private final Supplier<List<Subnet>> hostRoutes;
    private final Supplier<Set<String>> hostInterfaces;
    private final HostNetworkClaims claims;
    /** The daemon's default-network-opts for the bridge driver: what a create that does not give them gets. */
    private final Map<String, String> defaultOptions;

    public NetworkService(NetworkStore store, AddressAllocator addresses, NetworkUsers users, NetworkEvents events,
                          HostNetworkClaims claims) {
        this(store, addresses, users, events, HostRoutes::read, NetworkService::hostInterfaces, claims);
    }

    NetworkService(NetworkStore store, AddressAllocator addresses, NetworkUsers users, NetworkEvents events,
                   Supplier<List<Subnet>> hostRoutes, Supplier<Set<String>> hostInterfaces) {
        this(store, addresses, users, events, hostRoutes, hostInterfaces, null);
    }

    /** @param claims the host-wide record of other berthds' subnets and bridges; null when this is the only one */
    NetworkService(NetworkStore store, AddressAllocator addresses, NetworkUsers users, NetworkEvents events,
                   Supplier<List<Subnet>> hostRoutes, Supplier<Set<String>> hostInterfaces, HostNetworkClaims claims) {
        this(store, addresses, users, events, hostRoutes, hostInterfaces, claims, Map.of());
    }

    NetworkService(NetworkStore store, AddressAllocator addresses, NetworkUsers users, NetworkEvents events,
                   Supplier<List<Subnet>> hostRoutes, Supplier<Set<String>> hostInterfaces, HostNetworkClaims claims,
                   Map<String, String> defaultOptions) {
        checkDefaultOptions(defaultOptions);
        this.defaultOptions = Map.copyOf(defaultOptions);
        this.claims = claims;
        this.store = store;
        this.addresses = addresses;
        this.users = users;
        this.events = events;
        this.hostRoutes = hostRoutes;
        this.hostInterfaces = hostInterfaces;
    }

    /**
     * Opens the store under DATA-ROOT/networks and its address leases under DATA-ROOT/networks/ipam, and records
     * this daemon's networks in the host-wide claims (after a reboot the claims file is new).
     */
    public static NetworkService open(Path networksDir, NetworkUsers users, NetworkEvents events, HostNetworkClaims claims) {
        return open(networksDir, users, events, claims, Map.of());
    }

    /** @param defaultOptions the daemon's default-network-opts for the bridge driver ({@link #checkDefaultOptions}) */
    public static NetworkService open(Path networksDir, NetworkUsers users, NetworkEvents events, HostNetworkClaims claims,
                                      Map<String, String> defaultOptions) {
        NetworkStore store = NetworkStore.open(networksDir);
        NetworkService service = new NetworkService(store, new AddressAllocator(networksDir.resolve("ipam")), users, events,
                HostRoutes::read, NetworkService::hostInterfaces, claims, defaultOptions);
        for (Network n : store.list()) service.recordClaim(n);
        return service;
    }

    public AddressAllocator addresses() {
        return addresses;
    }

    /**
     * Creates what is missing of the predefined networks: bridge (interface berth0, a default-pool subnet no host
     * route overlaps, no container-name DNS, as Docker's default bridge), host and none. Existing ones are kept
     * as they are (their ids and subnets survive restarts).
     */
    public synchronized void ensurePredefined() {
        if (store.byName(Network.DEFAULT_BRIDGE).isEmpty()) {
            String id = newId();
            Network bridge = claimed(id, others -> {
                Subnet v4 = SubnetChooser.chooseIpv4(subnetsInUse(true, others)).orElseThrow(() -> new ConflictException(
                        "could not find an available, non-overlapping IPv4 address pool for the default bridge network"));
                // berth0 is the system daemon's; a daemon on another data root (tests, benchmarks) takes the next free name
                // (or a berth0 a dead daemon left on the host: netavark would put containers on that bridge, with its
                // subnet, and their traffic would go nowhere)
                boolean taken = bridgeNames(others).contains(DEFAULT_BRIDGE_INTERFACE)
                        || hostInterfaces.get().contains(DEFAULT_BRIDGE_INTERFACE);
                String name = taken ? nextBridgeName(others) : DEFAULT_BRIDGE_INTERFACE;
                Map<String, String> options = new LinkedHashMap<>();
                options.put(Network.OPT_DEFAULT_BRIDGE, "true");
                options.put(Network.OPT_BRIDGE_NAME, name);
                return new Network(Network.DEFAULT_BRIDGE, id, now(), Network.BRIDGE_DRIVER, false,
                        List.of(new IpamConfig(v4.toString(), null, Subnet.format(v4.gatewayDefault()), true)), false, false,
                        options, Map.of(), name, false);
            });
            store.put(bridge);
        }
        if (store.byName(Network.HOST).isEmpty()) {
            store.put(new Network(Network.HOST, newId(), now(), "host", false, List.of(), false, false, Map.of(),
                    Map.of(), null, false));
        }
        if (store.byName(Network.NONE).isEmpty()) {
            store.put(new Network(Network.NONE, newId(), now(), "null", false, List.of(), false, false, Map.of(),
                    Map.of(), null, false));
        }
    }

    /** POST /networks/create. */
    public synchronized Network create(NetworkCreateRequest rq) {
        NetworkName.check(rq.name());
        String driver = rq.driver() == null || rq.driver().isEmpty() ? Network.BRIDGE_DRIVER : rq.driver();
        if (!driver.equals(Network.BRIDGE_DRIVER)) {
            throw new InvalidArgumentException("berth supports only the bridge driver, not \"" + printable(driver) + "\"");
        }
        if (rq.ipamDriver() != null && !rq.ipamDriver().isEmpty() && !rq.ipamDriver().equals("default")) {
            throw new InvalidArgumentException("berth supports only the default IPAM driver, not \"" + printable(rq.ipamDriver()) + "\"");
        }
        if (!rq.ipamOptions().isEmpty()) {
            throw new InvalidArgumentException("berth does not support IPAM options ("
                    + printable(String.join(", ", rq.ipamOptions().keySet())) + ")");
        }
        checkOptions(rq.options());
        // as dockerd: the daemon's defaults fill in what the request does not give, and inspect shows them
        Map<String, String> options = new LinkedHashMap<>(defaultOptions);
        options.putAll(rq.options());
        if (store.byName(rq.name()).isPresent()) {
            throw new ConflictException("network with name " + rq.name() + " already exists");
        }
        String given = rq.options().get(Network.OPT_BRIDGE_NAME);
        if (given != null) checkInterfaceName(given);
        String id = newId();
        Network n = claimed(id, others -> {
            if (given != null && bridgeNames(others).contains(given)) {
                throw new ConflictException("bridge name " + given + " is already used by another network");
            }
            String bridge = given != null ? given : nextBridgeName(others);
            List<IpamConfig> ipam = ipam(rq, others);
            return new Network(rq.name(), id, now(), Network.BRIDGE_DRIVER, rq.enableIPv6(), ipam, rq.internal(),
                    rq.attachable(), options, rq.labels(), bridge, true);
        });
        try {
            store.put(n);
        } catch (RuntimeException e) {
            releaseClaim(n.id());
            throw e;
        }
        events.publish("create", n);
        return n;
    }

    /** GET /networks/{id}: by full id, full name or unique id prefix. */
    public Network inspect(String ref) {
        return store.get(ref);
    }

    public List<Network> list(Selector selector) {
        return store.list().stream().filter(n -> selector.test(n, inUse(n))).toList();
    }

    /**
     * The addresses container {@code owner} gets on a network (its lease, made now if it has none): the one entry
     * point for the container integration, serialised with remove and prune so no lease is made on a network
     * being removed. {@code ipv4}/{@code ipv6}: the addresses asked for (--ip, --ip6), or null for any free one.
     */
    public synchronized Lease allocate(String networkRef, String owner, String ipv4, String ipv6) {
        Network n = store.get(networkRef);
        if (n.ipam().isEmpty()) {
            throw new InvalidArgumentException("network " + n.name() + " (driver " + n.driver() + ") gives no addresses");
        }
        if ((ipv4 != null || ipv6 != null) && n.name().equals(Network.DEFAULT_BRIDGE)) {
            throw new InvalidArgumentException("user specified IP address is supported on user defined networks only");
        }
        if ((ipv4 != null && n.ipv4().map(IpamConfig::chosen).orElse(false))
                || (ipv6 != null && n.ipv6().map(IpamConfig::chosen).orElse(false))) {
            throw new InvalidArgumentException("user specified IP address is supported only when connecting to networks with user configured subnets");
        }
        return addresses.allocate(n, owner, ipv4, ipv6);
    }

    /** The network's highest free addresses for {@code owner}, which berth keeps itself (AddressAllocator#allocateTop). */
    public synchronized Lease allocateTop(String networkRef, String owner) {
        Network n = store.get(networkRef);
        if (n.ipam().isEmpty()) {
            throw new InvalidArgumentException("network " + n.name() + " (driver " + n.driver() + ") gives no addresses");
        }
        return addresses.allocateTop(n, owner);
    }

    /** Gives back what {@code owner} holds on the network (by id); nothing held, or no such network, is no error. */
    public synchronized void release(String networkId, String owner) {
        if (store.find(networkId).isEmpty()) return;
        addresses.release(networkId, owner);
    }

    /** Hands {@code from}'s lease on the network (by id) to {@code to}; nothing held, or no such network, is no error. */
    public synchronized void transfer(String networkId, String from, String to) {
        if (store.find(networkId).isEmpty()) return;
        addresses.transfer(networkId, from, to);
    }

    /** DELETE /networks/{id}; then the users are told, outside the lock (what the runtime keeps for it goes). */
    public void remove(String ref) {
        users.removed(delete(ref));
    }

    private synchronized Network delete(String ref) {
        Network n = store.get(ref);
        if (n.predefined()) {
            throw new ConflictException(n.name() + " is a pre-defined network and cannot be removed");
        }
        if (inUse(n)) {
            throw new ConflictException("error while removing network: network " + n.name() + " id " + n.id()
                    + " has active endpoints");
        }
        store.remove(n.id());
        addresses.forget(n.id());
        releaseClaim(n.id());
        events.publish("destroy", n);
        return n;
    }

    /** POST /networks/prune: user networks no container uses that pass {@code selector}; their names. */
    public List<String> prune(Selector selector) {
        List<Network> deleted = pruneRecords(selector);
        deleted.forEach(users::removed);
        return deleted.stream().map(Network::name).toList();
    }

    private synchronized List<Network> pruneRecords(Selector selector) {
        List<Network> deleted = new ArrayList<>();
        for (Network n : store.list()) {
            if (n.predefined() || inUse(n) || !selector.test(n, false)) continue;
            store.remove(n.id());
            addresses.forget(n.id());
            releaseClaim(n.id());
            events.publish("destroy", n);
            deleted.add(n);
        }
        return deleted;
    }

    public boolean inUse(Network n) {
        return !users.containersUsing(n).isEmpty();
    }

    /** The IPAM configs of a new network: the ones given, checked, plus chosen subnets for what was not given. */
    private List<IpamConfig> ipam(NetworkCreateRequest rq, List<HostNetworkClaims.Claim> claimed) {
        IpamConfig v4 = null, v6 = null;
        List<Subnet> others = subnetsInUse(false, claimed);
        for (IpamConfig c : rq.ipamConfigs()) {
            IpamConfig checked = checkConfig(c, others);
            if (checked.ipv6()) {
                if (!rq.enableIPv6()) {
                    throw new InvalidArgumentException("IPv6 subnet " + c.subnet() + " given, but IPv6 is not enabled (--ipv6)");
                }
                if (v6 != null) throw new InvalidArgumentException("berth supports one IPv6 subnet per network");
                v6 = checked;
            } else {
                if (v4 != null) throw new InvalidArgumentException("berth supports one IPv4 subnet per network");
                v4 = checked;
            }
        }
        List<Subnet> taken = null;
        if (v4 == null) {
            taken = subnetsInUse(true, claimed);
            Subnet s = SubnetChooser.chooseIpv4(taken).orElseThrow(() -> new ConflictException(
                    "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network"));
            v4 = new IpamConfig(s.toString(), null, Subnet.format(s.gatewayDefault()), true);
        }
        if (rq.enableIPv6() && v6 == null) {
            if (taken == null) taken = subnetsInUse(true, claimed);
            Subnet s = SubnetChooser.chooseIpv6(taken).orElseThrow(() -> new ConflictException(
                    "could not find an available, non-overlapping IPv6 address pool to assign to the network"));
            v6 = new IpamConfig(s.toString(), null, Subnet.format(s.gatewayDefault()), true);
        }
        return v6 == null ? List.of(v4) : List.of(v4, v6);
    }

    /** One given IPAM config: subnet required and free, range and gateway inside it; gateway defaults to the first address. */
    static IpamConfig checkConfig(IpamConfig c, List<Subnet> others) {
        if (c.subnet() == null || c.subnet().isEmpty()) {
            if ((c.gateway() != null && !c.gateway().isEmpty()) || (c.ipRange() != null && !c.ipRange().isEmpty())) {
                throw new InvalidArgumentException("every ip-range or gateway must have a corresponding subnet");
            }
            throw new InvalidArgumentException("an IPAM config needs a Subnet (berth chooses one when IPAM Config is empty)");
        }
        Subnet subnet = Subnet.parse(c.subnet());
        int usable = subnet.bits() - subnet.prefix();
        if (usable < 2) {
            throw new InvalidArgumentException("subnet " + subnet + " is too small: it needs room for the gateway and an address");
        }
        for (Subnet o : others) {
            if (o.overlaps(subnet)) throw new ConflictException("Pool overlaps with other one on this address space");
        }
        String range = null;
        if (c.ipRange() != null && !c.ipRange().isEmpty()) {
            Subnet r = Subnet.parse(c.ipRange());
            if (!subnet.contains(r)) throw new InvalidArgumentException("no matching subnet for range " + c.ipRange());
            range = r.toString();
        }
        String gateway;
        if (c.gateway() != null && !c.gateway().isEmpty()) {
            var g = Subnet.parseAddress(c.gateway());
            if (!subnet.contains(g)) throw new InvalidArgumentException("no matching subnet for gateway " + c.gateway());
            var v = Subnet.toInteger(g);
            if (v.equals(subnet.base()) || (!subnet.ipv6() && v.equals(subnet.last()))) {
                throw new InvalidArgumentException("gateway " + c.gateway() + " is the network or broadcast address of " + subnet);
            }
            gateway = Subnet.format(g);
        } else {
            gateway = Subnet.format(subnet.gatewayDefault());
        }
        return new IpamConfig(subnet.toString(), range, gateway);
    }

    /**
     * Subnets of this daemon's networks and of other berthds' (their claims), plus the host's routes when
     * choosing a subnet ourselves.
     */
    private List<Subnet> subnetsInUse(boolean withHostRoutes, List<HostNetworkClaims.Claim> claimed) {
        Stream<Subnet> own = store.list().stream().flatMap(n -> n.ipam().stream()).map(IpamConfig::subnetPrefix);
        Stream<Subnet> others = claimed.stream().flatMap(c -> c.subnets().stream()).map(Subnet::parse);
        return Stream.of(own, others, withHostRoutes ? hostRoutes.get().stream() : Stream.<Subnet>empty())
                .flatMap(x -> x).toList();
    }

    /** Bridge names this daemon's networks and other berthds' use. */
    private Set<String> bridgeNames(List<HostNetworkClaims.Claim> claimed) {
        Set<String> used = store.list().stream().map(Network::bridgeName).filter(b -> b != null).collect(Collectors.toSet());
        claimed.forEach(c -> used.add(c.bridge()));
        return used;
    }

    /**
     * Makes a network's definition while holding the host-wide claims lock, so no other berthd picks the same
     * subnet or bridge meanwhile, and records the result there.
     */
    private Network claimed(String id, java.util.function.Function<List<HostNetworkClaims.Claim>, Network> make) {
        if (claims == null) return make.apply(List.of());
        Network[] made = new Network[1];
        claims.claim(id, others -> {
            made[0] = make.apply(others);
            return new HostNetworkClaims.Choice(subnetsOf(made[0]), made[0].bridgeName());
        });
        return made[0];
    }

    private void recordClaim(Network n) {
        if (claims != null && n.bridgeName() != null) claims.record(n.id(), subnetsOf(n), n.bridgeName());
    }

    private void releaseClaim(String id) {
        if (claims != null) claims.release(id);
    }

    private static List<String> subnetsOf(Network n) {
        return n.ipam().stream().map(IpamConfig::subnet).toList();
    }

    /** The lowest berthN (N ≥ 1) no network of any berthd and no host interface has. */
    private String nextBridgeName(List<HostNetworkClaims.Claim> claimed) {
        Set<String> used = bridgeNames(claimed);
        used.addAll(hostInterfaces.get());
        for (int i = 1; ; i++) {
            String b = "berth" + i;
            if (!used.contains(b)) return b;
        }
    }

    private static Set<String> hostInterfaces() {
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    static void checkInterfaceName(String name) {
        if (!INTERFACE.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new InvalidArgumentException("invalid bridge name \"" + printable(name)
                    + "\": 1 to 15 of the characters [a-zA-Z0-9_.-]");
        }
    }

    private static void checkOptions(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!SUPPORTED_OPTIONS.contains(key)) {
                throw new InvalidArgumentException("berth does not support network option \"" + printable(key) + "\"");
            }
        }
        String mtu = options.get(Network.OPT_MTU);
        if (mtu != null) checkMtu(mtu);
    }

    /**
     * The daemon's default options for new bridge networks: those a create accepts, except a bridge name, which
     * each network needs its own of (the second network would find it taken).
     */
    public static void checkDefaultOptions(Map<String, String> options) {
        if (options.containsKey(Network.OPT_BRIDGE_NAME)) {
            throw new InvalidArgumentException(Network.OPT_BRIDGE_NAME + " cannot be a default: each network has its own bridge");
        }
        checkOptions(options);
    }

    private static void checkMtu(String mtu) {
        int v;
        try {
            v = Integer.parseInt(mtu);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid MTU \"" + printable(mtu) + "\": not a number");
        }
        if (v < 68 || v > 65535) throw new InvalidArgumentException("invalid MTU " + v + ": it must be between 68 and 65535");
    }

    private static String newId() {
        byte[] b = new byte[32];
        Ids.RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** RFC 3339 with nanoseconds and the fraction's trailing zeros dropped, as Go writes Docker's Created. */
    static String now() {
        return rfc3339Nano(Instant.now());
    }

    static String rfc3339Nano(Instant t) {
        String s = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(); // ...:SSZ
        if (t.getNano() == 0) return s;
        String fraction = String.format("%09d", t.getNano()).replaceAll("0+$", "");
        return s.substring(0, s.length() - 1) + "." + fraction + "Z";
    }

    /** Untrusted text in an error: control characters never reach a terminal, and length is capped. */
    private static String printable(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 100 ? t.substring(0, 100) + "..." : t;
    }
}
