package io.berth.network.runtime;

import java.util.List;

/**
 * What a container's network setup made, kept under its run dir for inspect's NetworkSettings and
 * {@code docker port}: one entry per network in connection order, and the published ports with the host
 * ports actually used.
 *
 * @param netns the namespace file the container runs in
 * @param counters the namespace's /proc/net/dev when a prewired namespace was handed to the container: stats count
 *                 from it (its interface may have counted traffic, even served an ended container, before); null when
 *                 the namespace was made for the container
 */
public record NetworkStatus(String netns, List<Endpoint> networks, List<Port> ports, String counters) {
    public NetworkStatus {
        networks = List.copyOf(networks);
        ports = List.copyOf(ports);
    }

    public NetworkStatus(String netns, List<Endpoint> networks, List<Port> ports) {
        this(netns, networks, ports, null);
    }

    /**
     * The container on one network.
     *
     * @param ipv4 "10.88.0.2", empty when the network has no IPv4 subnet
     * @param ipv4Prefix its prefix length
     * @param ipv6 the global IPv6 address, empty unless the network has IPv6
     */
    public record Endpoint(String network, String networkId, String ipv4, int ipv4Prefix, String gateway,
                           String ipv6, int ipv6Prefix, String ipv6Gateway, String macAddress, List<String> aliases,
                           List<String> dnsNames) {
        public Endpoint {
            aliases = List.copyOf(aliases);
            dnsNames = List.copyOf(dnsNames);
        }
    }

    /** A published port: {@code hostIp:hostPort -> containerPort/protocol}; hostIp "" is every address. */
    public record Port(int containerPort, String protocol, String hostIp, int hostPort) {}

    public NetworkStatus withNetworks(List<Endpoint> n) {
        return new NetworkStatus(netns, n, ports, counters);
    }

    /** Without interface {@code ifname}'s line in {@link #counters} (the interface was removed). */
    public NetworkStatus withoutCounters(String ifname) {
        if (counters == null) return this;
        String kept = counters.lines().filter(l -> !l.strip().startsWith(ifname + ":"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        return new NetworkStatus(netns, networks, ports, kept);
    }
}
