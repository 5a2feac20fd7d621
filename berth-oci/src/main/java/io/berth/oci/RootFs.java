package io.berth.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The {@code rootfs} of an image config: the uncompressed digests (diff IDs) of its layers, bottom first. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RootFs(
        @JsonProperty("type") String type,
        @JsonProperty("diff_ids") List<Digest> diffIds) {

    public RootFs {
        diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
    }

    public static RootFs layers(List<Digest> diffIds) {
        return new RootFs("layers", diffIds);
    }
}
