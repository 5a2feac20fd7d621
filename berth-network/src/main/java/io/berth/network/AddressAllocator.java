package io.berth.network;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.berth.linux.AtomicFile;
import io.berth.oci.errors.ConflictException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

/**
 * Address management (IPAM) for the bridge networks: which address each container holds on each network.
 * <pre>
 * DATA-ROOT/networks/ipam/&lt;network id&gt;.json   0600: {"leases":{owner:{ipv4,ipv6}}, "lastV4", "lastV6"}
 * </pre>
 * A lease is written durably before its address is handed out, so a kill -9 can never hand one address to two
 * containers; what a kill can leak (a lease whose container was never created, or was removed while berthd was
 * down) is reclaimed by {@link #reconcile}, which the daemon calls at start with the containers that exist.
 * <p>
 * Dynamic addresses come from the pool (the --ip-range, else the subnet) in order after the last one handed out,
 * wrapping round, as Docker's allocator does, so a just-released address is not reused at once (neighbours'
 * ARP caches still point at the old container). Never handed out: the subnet's network address, its IPv4
 * broadcast address and the gateway. A requested address (--ip) needs only to lie in the subnet, as in Docker.
 */
public final class AddressAllocator {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    /** One network's state file. */
    record State(Map<String, Addresses> leases, String lastV4, String lastV6) {
        State {
            leases = leases == null ? new LinkedHashMap<>() : new LinkedHashMap<>(leases);
        }
    }

    record Addresses(String ipv4, String ipv6) {}

    private final Path dir;
    private final Map<String, State> cache = new HashMap<>();

    public AddressAllocator(Path dir) {
        this.dir = dir;
    }

    /**
     * The addresses {@code owner} holds on {@code network}, allocating them first if it holds none. An owner that
     * holds a lease keeps it (an allocate repeated after a crash is answered with the same addresses), unless it
     * requests different ones. {@code requestedV4}/{@code requestedV6} may be null (any free address).
     */
    public synchronized Lease allocate(Network network, String owner, String requestedV4, String requestedV6) {
        IpamConfig v4 = network.ipv4().orElseThrow(() -> new InvalidArgumentException(
                "network " + network.name() + " has no IPv4 subnet to give addresses from"));
        IpamConfig v6 = network.enableIPv6() ? network.ipv6().orElse(null) : null;
        if (requestedV6 != null && v6 == null) {
            throw new InvalidArgumentException("network " + network.name() + " has no IPv6 subnet for address " + requestedV6);
        }
        State s = state(network.id());
        Addresses held = s.leases().get(owner);
        if (held != null && (requestedV4 == null || requestedV4.equals(held.ipv4()))
                && (requestedV6 == null || requestedV6.equals(held.ipv6()))) {
            return new Lease(network.id(), owner, held.ipv4(), held.ipv6());
        }
        Map<String, Addresses> others = new LinkedHashMap<>(s.leases());
        others.remove(owner);
        Pick a = pick(network, v4, requestedV4, others, s.lastV4(), false);
        Pick b = v6 == null ? null : pick(network, v6, requestedV6, others, s.lastV6(), true);
        others.put(owner, new Addresses(a.address(), b == null ? null : b.address()));
        State next = new State(others, a.last() == null ? s.lastV4() : a.last(), b == null || b.last() == null ? s.lastV6() : b.last());
        save(network.id(), next);
        return new Lease(network.id(), owner, a.address(), b == null ? null : b.address());
    }

    /**
     * The highest free addresses of the network's subnets for {@code owner} (its lease again if it holds one), for
     * what berth itself keeps on a network (the placeholder that keeps it warm): taken from the top, they leave
     * containers the low addresses in Docker's order (the first container still gets .2), and outside the pool
     * order they never move {@code last}. Ignores the --ip-range: the pool is the containers'.
     */
    public synchronized Lease allocateTop(Network network, String owner) {
        IpamConfig v4 = network.ipv4().orElseThrow(() -> new InvalidArgumentException(
                "network " + network.name() + " has no IPv4 subnet to give addresses from"));
        IpamConfig v6 = network.enableIPv6() ? network.ipv6().orElse(null) : null;
        State s = state(network.id());
        Addresses held = s.leases().get(owner);
        if (held != null) return new Lease(network.id(), owner, held.ipv4(), held.ipv6());
        Map<String, Addresses> others = new LinkedHashMap<>(s.leases());
        String a = top(network, v4, others, false);
        String b = v6 == null ? null : top(network, v6, others, true);
        others.put(owner, new Addresses(a, b));
        save(network.id(), new State(others, s.lastV4(), s.lastV6()));
        return new Lease(network.id(), owner, a, b);
    }

    /** The highest address of the subnet that is not its broadcast address, the gateway or taken. */
    private static String top(Network network, IpamConfig config, Map<String, Addresses> others, boolean ipv6) {
        Subnet subnet = config.subnetPrefix();
        BigInteger gateway = Subnet.toInteger(config.gatewayAddress());
        java.util.Set<BigInteger> taken = new java.util.HashSet<>();
        others.values().forEach(a -> {
            String t = ipv6 ? a.ipv6() : a.ipv4();
            if (t != null) taken.add(Subnet.toInteger(Subnet.parseAddress(t)));
        });
        BigInteger candidate = ipv6 ? subnet.last() : subnet.last().subtract(BigInteger.ONE);
        for (int i = 0; i <= taken.size() + 1 && candidate.compareTo(subnet.base()) > 0; i++) {
            if (!candidate.equals(gateway) && !taken.contains(candidate)) return Subnet.format(subnet.address(candidate));
            candidate = candidate.subtract(BigInteger.ONE);
        }
        throw new ConflictException("no available " + (ipv6 ? "IPv6" : "IPv4") + " addresses on this network's address pools: "
                + network.name() + " (" + network.id() + ")");
    }

    /** Gives back what {@code owner} holds on the network; nothing held is no error. */
    public synchronized void release(String networkId, String owner) {
        State s = state(networkId);
        if (!s.leases().containsKey(owner)) return;
        Map<String, Addresses> rest = new LinkedHashMap<>(s.leases());
        rest.remove(owner);
        save(networkId, new State(rest, s.lastV4(), s.lastV6()));
    }

    /**
     * Hands what {@code from} holds on the network to {@code to}, in one durable write: an address changes owner
     * without ever being free (a namespace wired ahead of a container's start becomes the container's, and back to
     * berth for its deferred tear-down). Nothing held by {@code from} is no error; {@code to} must hold nothing.
     */
    public synchronized void transfer(String networkId, String from, String to) {
        State s = state(networkId);
        Addresses held = s.leases().get(from);
        if (held == null) return;
        if (s.leases().containsKey(to)) throw new ConflictException("address lease owner " + to + " already holds a lease on network " + networkId);
        Map<String, Addresses> next = new LinkedHashMap<>(s.leases());
        next.remove(from);
        next.put(to, held);
        save(networkId, new State(next, s.lastV4(), s.lastV6()));
    }

    public synchronized Optional<Lease> lease(String networkId, String owner) {
        Addresses a = state(networkId).leases().get(owner);
        return a == null ? Optional.empty() : Optional.of(new Lease(networkId, owner, a.ipv4(), a.ipv6()));
    }

    /** Every lease on a network, by owner. */
    public synchronized Map<String, Lease> leases(String networkId) {
        Map<String, Lease> out = new LinkedHashMap<>();
        state(networkId).leases().forEach((o, a) -> out.put(o, new Lease(networkId, o, a.ipv4(), a.ipv6())));
        return out;
    }

    /** Drops a removed network's state. */
    public synchronized void forget(String networkId) {
        cache.remove(networkId);
        try {
            Files.deleteIfExists(file(networkId));
        } catch (IOException e) {
            throw new SystemFailureException("cannot remove address leases of network " + networkId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops every lease whose owner is not in {@code alive} (what a kill -9 or a removal while berthd was down
     * left), on every network; answers how many were dropped.
     */
    public synchronized int reconcile(Set<String> alive) {
        int dropped = 0;
        if (!Files.isDirectory(dir)) return 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".tmp-")) {
                    Files.deleteIfExists(f);
                    continue;
                }
                if (!name.endsWith(".json") || !ID.matcher(name.substring(0, name.length() - 5)).matches()) continue;
                String id = name.substring(0, name.length() - 5);
                State s = state(id);
                Map<String, Addresses> kept = new LinkedHashMap<>(s.leases());
                kept.keySet().retainAll(alive);
                if (kept.size() != s.leases().size()) {
                    dropped += s.leases().size() - kept.size();
                    save(id, new State(kept, s.lastV4(), s.lastV6()));
                }
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot read address leases in " + dir + ": " + e.getMessage(), e);
        }
        return dropped;
    }

    private record Pick(String address, String last) {}

    private static Pick pick(Network network, IpamConfig config, String requested, Map<String, Addresses> others,
                             String last, boolean ipv6) {
        Subnet subnet = config.subnetPrefix();
        BigInteger gateway = Subnet.toInteger(config.gatewayAddress());
        java.util.Set<BigInteger> taken = new java.util.HashSet<>();
        others.values().forEach(a -> {
            String t = ipv6 ? a.ipv6() : a.ipv4();
            if (t != null) taken.add(Subnet.toInteger(Subnet.parseAddress(t)));
        });
        if (requested != null) {
            InetAddress r = Subnet.parseAddress(requested);
            if (!subnet.contains(r)) {
                throw new InvalidArgumentException("no configured subnet or ip-range contain the IP address " + requested);
            }
            BigInteger v = Subnet.toInteger(r);
            if (v.equals(subnet.base()) || (!ipv6 && v.equals(subnet.last()))) {
                throw new InvalidArgumentException("requested address " + requested + " is the network or broadcast address of " + subnet);
            }
            if (v.equals(gateway) || taken.contains(v)) throw new ConflictException("Address already in use");
            return new Pick(Subnet.format(r), null);
        }
        Subnet pool = config.pool();
        BigInteger first = pool.base(), end = pool.last();
        BigInteger start = first;
        if (last != null) {
            BigInteger l = Subnet.toInteger(Subnet.parseAddress(last));
            if (pool.contains(l) && l.compareTo(end) < 0) start = l.add(BigInteger.ONE);
        }
        // At most taken+3 addresses are unavailable, so a free one turns up within taken+4 distinct candidates.
        BigInteger bound = pool.size().min(BigInteger.valueOf(taken.size() + 4L));
        BigInteger candidate = start;
        for (BigInteger i = BigInteger.ZERO; i.compareTo(bound) < 0; i = i.add(BigInteger.ONE)) {
            boolean reserved = candidate.equals(subnet.base()) || (!ipv6 && candidate.equals(subnet.last()))
                    || candidate.equals(gateway) || taken.contains(candidate);
            if (!reserved) {
                String a = Subnet.format(subnet.address(candidate));
                return new Pick(a, a);
            }
            candidate = candidate.equals(end) ? first : candidate.add(BigInteger.ONE);
        }
        throw new ConflictException("no available " + (ipv6 ? "IPv6" : "IPv4") + " addresses on this network's address pools: "
                + network.name() + " (" + network.id() + ")");
    }

    private State state(String networkId) {
        if (!ID.matcher(networkId).matches()) throw new IllegalArgumentException("not a network id: " + networkId);
        State s = cache.get(networkId);
        if (s != null) return s;
        Path f = file(networkId);
        try {
            s = Files.exists(f) ? NetworkStore.JSON.readValue(f.toFile(), State.class) : new State(null, null, null);
        } catch (IOException e) {
            throw new SystemFailureException("cannot read address leases of network " + networkId + ": " + e.getMessage(), e);
        }
        cache.put(networkId, s);
        return s;
    }

    private void save(String networkId, State s) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            AtomicFile.write(file(networkId), NetworkStore.JSON.writeValueAsBytes(s), AtomicFile.OWNER_ONLY);
        } catch (IOException e) {
            throw new SystemFailureException("cannot write address leases of network " + networkId + ": " + e.getMessage(), e);
        }
        cache.put(networkId, s);
    }

    private Path file(String networkId) {
        return dir.resolve(networkId + ".json");
    }
}
