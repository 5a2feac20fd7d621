package io.berth.daemon.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

import io.berth.oci.errors.NotFoundException;

/**
 * Finds a network by name, full id or unique id prefix, as container create, inspect and the {@code network=}
 * filter need it. The network service implements it; the predefined networks {@code bridge}, {@code host} and
 * {@code none} are networks like any other here (they have ids, as in Docker's {@code network ls}).
 */
public interface NetworkResolver {
    /** A network as a container refers to it: its full id (a re-created network is a different one) and its name. */
    record Network(String id, String name) {}

    /** @throws NotFoundException "network X not found" (a 404), Docker's words */
    Network resolve(String nameOrId);

    static NotFoundException notFound(String nameOrId) {
        return new NotFoundException("network " + nameOrId + " not found");
    }

    /**
     * Knows only the predefined networks, with ids derived from their names: the stand-in until the network service
     * is wired, and the test double of everything that does not create networks.
     */
    NetworkResolver PREDEFINED = nameOrId -> {
        for (String name : Set.of("bridge", "host", "none")) {
            String id = predefinedId(name);
            if (nameOrId.equals(name) || (nameOrId.length() >= 3 && id.startsWith(nameOrId))) return new Network(id, name);
        }
        throw notFound(nameOrId);
    };

    private static String predefinedId(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("berth-network:" + name).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
