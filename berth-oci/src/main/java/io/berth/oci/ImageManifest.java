package io.berth.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** An image manifest: OCI {@code image.manifest.v1} or Docker schema 2 (same shape). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageManifest(
        @JsonProperty("schemaVersion") int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("config") Descriptor config,
        @JsonProperty("layers") List<Descriptor> layers,
        @JsonProperty("annotations") Map<String, String> annotations) {

    public ImageManifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** An OCI manifest with schema version 2. */
    public static ImageManifest oci(Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(2, MediaTypes.OCI_MANIFEST, config, layers, null);
    }
}
