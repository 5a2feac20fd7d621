package io.berth.daemon.api;

import java.util.Optional;

/**
 * What a running container's networks became at its last start: the network step's result, read by inspect, ps and
 * {@code port}. A container that is not running has none (Docker then shows its networks with empty addresses).
 */
public interface NetworkStatusSource {
    /** The status while the container's network namespace is set up, empty otherwise. */
    Optional<ContainerNetworkStatus> status(String containerId);

    /** No container has a network status: before the network step is wired, and in unit tests. */
    NetworkStatusSource NONE = id -> Optional.empty();
}
