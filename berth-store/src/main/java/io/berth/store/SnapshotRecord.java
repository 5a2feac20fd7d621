package io.berth.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.oci.Digest;

/**
 * What a snapshot was unpacked from, kept next to it as {@code snapshots/<chainIdHex>.json} (never inside the
 * directory, which is an overlay lowerdir): its chain ID, the diff ID the unpacked tar hashed to, and the layer
 * blob it came from. {@code system check} compares it with the layers of the images that use the snapshot.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotRecord(@JsonProperty("chainId") Digest chainId, @JsonProperty("diffId") Digest diffId,
                             @JsonProperty("layer") Digest layer) {
}
