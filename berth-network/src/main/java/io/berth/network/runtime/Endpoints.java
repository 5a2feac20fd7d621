package io.berth.network.runtime;

import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.runtime.NetworkSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Translations between berth's network facts, netavark's options and status, and the endpoints berth records. */
final class Endpoints {
    private Endpoints() {}

    static NetworkCatalog.NetworkFacts facts(NetworkCatalog catalog, NetworkSpec.Attachment a) {
        String key = a.networkId().isEmpty() ? a.network() : a.networkId();
        return catalog.find(key).orElseThrow(() -> new NotFoundException("network " + a.network() + " not found"));
    }

    /** The DNS names of a container on a network, as Docker registers them: its name, its aliases, its short id. */
    static List<String> dnsNames(String containerId, NetworkSpec.Attachment a) {
        LinkedHashSet<String> names = new LinkedHashSet<>(a.aliases());
        names.add(containerId.substring(0, Math.min(12, containerId.length())));
        return List.copyOf(names);
    }

    /**
     * The name netavark knows a network by: its bridge's, not berth's. netavark 1.4 names a network's iptables
     * chains after a hash of this name, and every berthd has a network called "bridge" (tests and benchmarks run
     * several): two daemons' default networks then shared one NAT chain, and one daemon's teardown of its last
     * container removed the other's masquerading (measured: a build's apt-get lost DNS mid-run). Bridge names are
     * unique on the host (HostNetworkClaims).
     */
    static String netavarkName(NetworkCatalog.NetworkFacts f) {
        return f.bridgeInterface();
    }

    static NetavarkJson.Network network(NetworkCatalog.NetworkFacts f) {
        Map<String, String> options = new HashMap<>(f.options());
        if (f.mtu() > 0) options.put("mtu", Integer.toString(f.mtu()));
        // Docker's bridge networks cannot reach each other; netavark's "isolate" drops forwarding between
        // bridges that both have it
        options.putIfAbsent("isolate", "true");
        List<NetavarkJson.Subnet> subnets = f.subnets().stream()
                .map(s -> new NetavarkJson.Subnet(s.subnet(), s.gateway().isEmpty() ? null : s.gateway())).toList();
        return new NetavarkJson.Network(f.dnsEnabled(), "bridge", f.id(), f.internal(), f.ipv6(), netavarkName(f),
                f.bridgeInterface(), options, Map.of("driver", "host-local"), subnets, null);
    }

    static NetavarkJson.PerNetwork perNetwork(String containerId, NetworkSpec.Attachment a, NetworkCatalog.NetworkFacts f,
                                             String interfaceName, List<String> addresses) {
        List<String> aliases = f.dnsEnabled() ? dnsNames(containerId, a) : null;
        return new NetavarkJson.PerNetwork(aliases, interfaceName, addresses, a.macAddress().isEmpty() ? null : a.macAddress());
    }

    /** The record of one network of {@code status}, the block netavark answered for it. */
    static NetworkStatus.Endpoint endpoint(NetworkCatalog.NetworkFacts f, NetworkSpec.Attachment a, String containerId,
                                           String interfaceName, NetavarkJson.StatusBlock block) {
        NetavarkJson.NetInterface nic = block == null || block.interfaces() == null ? null : block.interfaces().get(interfaceName);
        if (nic == null) throw new SystemFailureException("netavark setup reported no interface " + interfaceName + " on network " + f.name());
        String ip4 = "", gw4 = "", ip6 = "", gw6 = "";
        int p4 = 0, p6 = 0;
        for (NetavarkJson.NetAddress addr : nic.subnets() == null ? List.<NetavarkJson.NetAddress>of() : nic.subnets()) {
            String[] ipnet = addr.ipnet().split("/");
            int prefix = ipnet.length > 1 ? Integer.parseInt(ipnet[1]) : 0;
            String gw = addr.gateway() == null ? "" : addr.gateway();
            if (ipnet[0].contains(":")) {
                if (ip6.isEmpty()) { ip6 = ipnet[0]; p6 = prefix; gw6 = gw; }
            } else if (ip4.isEmpty()) {
                ip4 = ipnet[0]; p4 = prefix; gw4 = gw;
            }
        }
        return new NetworkStatus.Endpoint(f.name(), f.id(), ip4, p4, gw4, ip6, p6, gw6, nic.macAddress(), a.aliases(),
                f.dnsEnabled() ? dnsNames(containerId, a) : List.of());
    }

    /** Options for exactly the given networks (a connect's or disconnect's one), with the container's DNS upstreams. */
    static NetavarkJson.Options only(NetavarkJson.Options all, String networkName, boolean withPorts) {
        return new NetavarkJson.Options(all.containerId(), all.containerName(),
                Map.of(networkName, all.networks().get(networkName)), Map.of(networkName, all.networkInfo().get(networkName)),
                withPorts ? all.portMappings() : null, all.dnsServers());
    }

    static List<NetavarkJson.PortMapping> portMappings(List<NetworkStatus.Port> ports) {
        List<NetavarkJson.PortMapping> out = new ArrayList<>();
        for (NetworkStatus.Port p : ports) out.add(new NetavarkJson.PortMapping(p.containerPort(), p.hostIp(), p.hostPort(), p.protocol(), 1));
        return out;
    }
}
