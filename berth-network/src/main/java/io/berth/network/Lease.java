package io.berth.network;

/**
 * The addresses one owner (a container id) holds on one network: always an IPv4 address, an IPv6 one when the
 * network has IPv6. Addresses as Docker prints them, without prefix length (the network's subnet has it).
 */
public record Lease(String networkId, String owner, String ipv4, String ipv6) {}
