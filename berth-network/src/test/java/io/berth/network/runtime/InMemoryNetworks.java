package io.berth.network.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Network definitions and a trivial IPv4 allocator (.2, .3, … of a /24) for tests without berth's network store. */
final class InMemoryNetworks implements NetworkCatalog, AddressLeases {
    private final Map<String, NetworkFacts> byName = new HashMap<>();
    private final Map<String, String> leases = new HashMap<>(); // networkId/containerId -> address
    final List<String> released = new ArrayList<>();
    /** Owners whose release fails, as a full disk fails the allocator's write. */
    final java.util.Set<String> refuseRelease = java.util.concurrent.ConcurrentHashMap.newKeySet();

    NetworkFacts add(String name, String bridge, String prefix24, boolean dns) {
        String id = (name + "-".repeat(64)).substring(0, 64).replace('-', '0');
        NetworkFacts f = new NetworkFacts(id, name, bridge, List.of(new Subnet(prefix24 + ".0/24", prefix24 + ".1")),
                false, false, dns, 0, Map.of());
        byName.put(name, f);
        return f;
    }

    @Override
    public synchronized Optional<NetworkFacts> find(String nameOrId) {
        return byName.values().stream().filter(f -> f.name().equals(nameOrId) || f.id().equals(nameOrId)).findFirst();
    }

    @Override
    public synchronized List<String> allocate(String networkId, String containerId, String requestedIpv4, String requestedIpv6) {
        String key = networkId + "/" + containerId;
        if (leases.containsKey(key)) return List.of(leases.get(key));
        NetworkFacts f = byName.values().stream().filter(n -> n.id().equals(networkId)).findFirst().orElseThrow();
        String base = f.subnets().getFirst().subnet().replace(".0/24", ".");
        String addr = requestedIpv4;
        for (int i = 2; addr.isEmpty(); i++) {
            String candidate = base + i;
            if (!leases.containsValue(candidate)) addr = candidate;
        }
        leases.put(key, addr);
        return List.of(addr);
    }

    /** .254, .253, … */
    @Override
    public synchronized List<String> allocateTop(String networkId, String owner) {
        String key = networkId + "/" + owner;
        if (leases.containsKey(key)) return List.of(leases.get(key));
        NetworkFacts f = byName.values().stream().filter(n -> n.id().equals(networkId)).findFirst().orElseThrow();
        String base = f.subnets().getFirst().subnet().replace(".0/24", ".");
        String addr = "";
        for (int i = 254; addr.isEmpty(); i--) {
            String candidate = base + i;
            if (!leases.containsValue(candidate)) addr = candidate;
        }
        leases.put(key, addr);
        return List.of(addr);
    }

    @Override
    public synchronized void release(String networkId, String containerId) {
        if (refuseRelease.contains(containerId)) throw new IllegalStateException("cannot write address leases (test)");
        if (leases.remove(networkId + "/" + containerId) != null) released.add(networkId + "/" + containerId);
    }

    @Override
    public synchronized void transfer(String networkId, String from, String to) {
        String held = leases.remove(networkId + "/" + from);
        if (held != null) leases.put(networkId + "/" + to, held);
    }

    synchronized Optional<String> lease(String networkId, String owner) {
        return Optional.ofNullable(leases.get(networkId + "/" + owner));
    }

    synchronized int leaseCount() {
        return leases.size();
    }
}
