package io.berth.network.runtime;

import java.util.List;

/** The per-network address allocator as the network step uses it (berth's IPAM implements it). */
public interface AddressLeases {
    /**
     * The container's addresses on the network, one per subnet (plain addresses, no prefix), in the order of
     * the network's subnets. Idempotent: a container that holds a lease gets the same addresses again (a start
     * after a crash). A requested address that is taken or outside the subnet is refused with the reason.
     *
     * @param requestedIpv4 --ip, empty for the next free one
     * @param requestedIpv6 --ip6, empty for the next free one
     */
    List<String> allocate(String networkId, String containerId, String requestedIpv4, String requestedIpv6);

    /**
     * The highest free address of each subnet for {@code owner}, in the order of the network's subnets (its lease
     * again if it holds one): what berth keeps on a network itself ({@link WarmNetworks}), out of the containers' way.
     */
    List<String> allocateTop(String networkId, String owner);

    /** Gives the container's addresses on the network back; nothing held is fine. */
    void release(String networkId, String containerId);

    /**
     * Hands {@code from}'s addresses on the network to {@code to} in one durable write, never free in between
     * ({@link PrewiredNamespaces}); nothing held by {@code from} is fine.
     */
    void transfer(String networkId, String from, String to);
}
