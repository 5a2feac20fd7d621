package io.berth.network.runtime;

import java.util.List;

/**
 * What a container's network setup made, kept under its run dir for inspect's NetworkSettings and
 * {@code docker port}: one entry per network in connection order, and the published ports with the host
 * ports actually used.
 *
 * @param netns the namespace file the container runs in
 */
public record NetworkStatus(String netns, List<Endpoint> networks, List<Port> ports) {
    public NetworkStatus {
        networks = List.copyOf(networks);
        ports = List.copyOf(ports);
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
        return new NetworkStatus(netns, n, ports);
    }
}
