package io.berth.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** An image index (OCI) or manifest list (Docker); also the shape of an OCI layout's {@code index.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageIndex(
        @JsonProperty("schemaVersion") int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("manifests") List<Descriptor> manifests,
        @JsonProperty("annotations") Map<String, String> annotations) {

    public ImageIndex {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }

    public static ImageIndex oci(List<Descriptor> manifests) {
        return new ImageIndex(2, MediaTypes.OCI_INDEX, manifests, null);
    }
}
