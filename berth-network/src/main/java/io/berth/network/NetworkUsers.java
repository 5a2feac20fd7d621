package io.berth.network;

import java.util.List;

/**
 * Which containers use a network (the container integration answers: containers with an endpoint on it). A used
 * network is not dangling, and cannot be removed or pruned.
 */
@FunctionalInterface
public interface NetworkUsers {
    NetworkUsers NONE = network -> List.of();

    /** The ids of the containers with an endpoint on {@code network}. */
    List<String> containersUsing(Network network);

    /** {@code network} was removed (rm or prune; no container used it): what is kept on the host for it goes. */
    default void removed(Network network) {}
}
