package io.berth.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The image config blob (OCI {@code image.config.v1}, Docker {@code container.image.v1}). Its sha256 is the
 * image ID. Fields berth does not model are ignored on read, which changes the digest if re-serialised: keep
 * the original bytes whenever a digest matters.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageConfig(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("variant") String variant,
        @JsonProperty("created") String created,
        @JsonProperty("author") String author,
        @JsonProperty("config") ContainerConfig config,
        @JsonProperty("rootfs") RootFs rootfs,
        @JsonProperty("history") List<HistoryEntry> history) {

    public ImageConfig {
        history = history == null ? null : List.copyOf(history);
    }

    /** The diff IDs of the layers, bottom first (empty when the config has no rootfs). */
    public List<Digest> diffIds() {
        return rootfs == null ? List.of() : rootfs.diffIds();
    }

    /** The creation time, or the epoch when absent or unparsable (some tools write odd timestamps). */
    public Instant createdInstant() {
        if (created == null || created.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(created);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
