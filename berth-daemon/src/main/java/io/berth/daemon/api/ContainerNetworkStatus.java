package io.berth.daemon.api;

import java.util.List;

/**
 * A running container's network state, as the network step set it up at this start.
 *
 * @param sandboxId the id of the container's network namespace (Docker's SandboxID), or ""
 * @param sandboxKey the path of its network namespace (Docker's SandboxKey: e.g. /run/berth/netns/ID), or ""
 * @param endpoints one per network the container is connected to, in connection order
 * @param ports every published port with the host port actually bound (a requested 0 is the picked port)
 */
public record ContainerNetworkStatus(String sandboxId, String sandboxKey, List<Endpoint> endpoints, List<PortMapping> ports) {
    public ContainerNetworkStatus {
        sandboxId = sandboxId == null ? "" : sandboxId;
        sandboxKey = sandboxKey == null ? "" : sandboxKey;
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /**
     * The container's interface on one network.
     *
     * @param network the network's name, networkId its full id
     * @param endpointId the endpoint's id (Docker's EndpointID), or ""
     * @param ipv4Address without prefix ("10.88.0.2"), "" when none; ipv4PrefixLen its prefix length
     * @param gateway the IPv4 gateway, or ""
     * @param ipv6Address global IPv6 address without prefix, or ""
     * @param aliases the network-scoped aliases in effect
     * @param dnsNames the names this container answers to on the network (Docker's DNSNames), empty on the default bridge
     */
    public record Endpoint(String network, String networkId, String endpointId, String macAddress,
                           String ipv4Address, int ipv4PrefixLen, String gateway,
                           String ipv6Address, int ipv6PrefixLen, String ipv6Gateway,
                           List<String> aliases, List<String> dnsNames) {
        public Endpoint {
            endpointId = endpointId == null ? "" : endpointId;
            macAddress = macAddress == null ? "" : macAddress;
            ipv4Address = ipv4Address == null ? "" : ipv4Address;
            gateway = gateway == null ? "" : gateway;
            ipv6Address = ipv6Address == null ? "" : ipv6Address;
            ipv6Gateway = ipv6Gateway == null ? "" : ipv6Gateway;
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
        }
    }

    /**
     * A port bound on the host: {@code hostIp:hostPort -> containerPort/protocol}.
     *
     * @param hostIp the address bound, "0.0.0.0" or "::" for all (Docker lists both families for an empty HostIp)
     */
    public record PortMapping(int containerPort, String protocol, String hostIp, int hostPort) {}
}
