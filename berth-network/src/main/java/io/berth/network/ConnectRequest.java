package io.berth.network;

import java.util.List;

/**
 * POST /networks/{id}/connect, decoded: the container (name or id) and what its EndpointConfig asks for. Fields
 * berth does not apply (Links, DriverOpts, MacAddress, ...) are refused by the route before this is built.
 *
 * @param ipv4Address EndpointConfig.IPAMConfig.IPv4Address, or null
 * @param ipv6Address EndpointConfig.IPAMConfig.IPv6Address, or null
 */
public record ConnectRequest(String container, String ipv4Address, String ipv6Address, List<String> aliases) {
    public ConnectRequest {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
