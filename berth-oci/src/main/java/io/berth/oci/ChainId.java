package io.berth.oci;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain IDs name a stack of layers (OCI image spec, "Layer ChainID"): the chain ID of the bottom layer is its
 * diff ID; above it, {@code ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n))}. Equal chain IDs mean equal
 * unpacked filesystems, which is why snapshots are keyed by them.
 */
public final class ChainId {
    private ChainId() {
    }

    /** The chain ID of the whole stack; {@code diffIds} must not be empty. */
    public static Digest of(List<Digest> diffIds) {
        if (diffIds.isEmpty()) {
            throw new IllegalArgumentException("chain id of an empty layer list");
        }
        return all(diffIds).getLast();
    }

    /** The chain ID of every prefix of the stack, bottom first. */
    public static List<Digest> all(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest current = null;
        for (Digest diffId : diffIds) {
            current = current == null ? diffId
                    : Digest.sha256((current + " " + diffId).getBytes(StandardCharsets.UTF_8));
            chain.add(current);
        }
        return List.copyOf(chain);
    }
}
