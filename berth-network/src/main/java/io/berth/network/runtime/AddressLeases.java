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
     * Addresses berthd holds for itself (the default bridge's anchor), where the rules for a user's requested
     * address (none on the default bridge, none on a subnet berth chose) do not apply.
     */
    default List<String> reserve(String networkId, String owner, String requestedIpv4, String requestedIpv6) {
        return allocate(networkId, owner, requestedIpv4, requestedIpv6);
    }

    /** Gives the container's addresses on the network back; nothing held is fine. */
    void release(String networkId, String containerId);
}
