package io.berth.network;

import java.util.Map;

/** The endpoints network inspect lists; the container integration supplies them. */
@FunctionalInterface
public interface NetworkEndpoints {
    NetworkEndpoints NONE = network -> Map.of();

    /** The endpoints on {@code network}, by container id. */
    Map<String, Endpoint> endpoints(Network network);
}
