package io.berth.store;

import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;

import java.time.Instant;
import java.util.List;

/**
 * An image as the store knows it.
 *
 * @param id             sha256 of the config blob (Docker's image ID)
 * @param repoTags       familiar tags, e.g. "busybox:latest", sorted
 * @param repoDigests    familiar "name@sha256:..." references known from a registry, sorted (empty for imports)
 * @param manifestDigest digest of the manifest blob in the content store
 * @param config         the parsed config blob
 * @param size           sum of the layer blob sizes in bytes
 * @param created        the config's creation time (epoch if absent)
 */
public record ImageRecord(Digest id, List<String> repoTags, List<String> repoDigests, Digest manifestDigest,
                          ImageConfig config, long size, Instant created) {
    public ImageRecord {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }
}
