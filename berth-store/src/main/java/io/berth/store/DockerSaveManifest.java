package io.berth.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** One entry of a docker-save tar's {@code manifest.json}; paths are relative to the archive root. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
record DockerSaveManifest(
        @JsonProperty("Config") String config,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("Layers") List<String> layers) {

    DockerSaveManifest {
        repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
        layers = layers == null ? List.of() : List.copyOf(layers);
    }
}
