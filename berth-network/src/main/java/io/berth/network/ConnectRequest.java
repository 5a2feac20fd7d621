package io.berth.network;

import java.util.List;

import io.berth.runtime.NetworkSpec;

/**
 * POST /networks/{id}/connect, decoded: the container (name or id) and what its EndpointConfig asks for. Fields
 * berth does not apply (DriverOpts, MacAddress, ...) are refused by the route before this is built.
 *
 * @param ipv4Address EndpointConfig.IPAMConfig.IPv4Address, or null
 * @param ipv6Address EndpointConfig.IPAMConfig.IPv6Address, or null
 * @param links EndpointConfig.Links ({@code docker network connect --link}), parsed
 */
public record ConnectRequest(String container, String ipv4Address, String ipv6Address, List<String> aliases,
                             List<NetworkSpec.EndpointLink> links) {
    public ConnectRequest {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** A request without links. */
    public ConnectRequest(String container, String ipv4Address, String ipv6Address, List<String> aliases) {
        this(container, ipv4Address, ipv6Address, aliases, List.of());
    }
}
