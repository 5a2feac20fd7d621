package io.berth.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One step of an image's history; {@code empty_layer} steps changed only the config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HistoryEntry(
        @JsonProperty("created") String created,
        @JsonProperty("created_by") String createdBy,
        @JsonProperty("author") String author,
        @JsonProperty("comment") String comment,
        @JsonProperty("empty_layer") Boolean emptyLayer) {

    /** False for steps marked {@code empty_layer}: they changed only the config and have no diff ID. */
    public boolean addsLayer() {
        return !Boolean.TRUE.equals(emptyLayer);
    }
}
