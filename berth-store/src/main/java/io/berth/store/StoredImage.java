package io.berth.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.oci.Digest;

import java.util.List;

/** The on-disk form of an image record ({@code images/<idHex>.json}); tags live in repositories.json. */
@JsonIgnoreProperties(ignoreUnknown = true)
record StoredImage(
        @JsonProperty("id") Digest id,
        @JsonProperty("manifestDigest") Digest manifestDigest,
        @JsonProperty("repoDigests") List<String> repoDigests,
        @JsonProperty("size") long size) {

    StoredImage {
        repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
    }
}
