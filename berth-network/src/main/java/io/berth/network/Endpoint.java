package io.berth.network;

/**
 * One container's endpoint on a network, as the Containers map of GET /networks/{id} shows it (keyed by the
 * container id). Addresses with their prefix length ("172.18.0.2/16"), IPv6 empty when the network has none.
 */
public record Endpoint(String name, String endpointId, String macAddress, String ipv4Address, String ipv6Address) {}
