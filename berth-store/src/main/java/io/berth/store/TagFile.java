package io.berth.store;

import io.berth.linux.AtomicFile;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.oci.Digest;
import io.berth.oci.Json;

import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** {@code repositories.json}: canonical tagged reference -> image ID, rewritten atomically on every change. */
final class TagFile {
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Content(@JsonProperty("tags") Map<String, Digest> tags) {
    }

    private final Path file;

    TagFile(Path file) {
        this.file = file;
    }

    /** The tags on disk, as a mutable sorted map. */
    TreeMap<String, Digest> load() throws IOException {
        try {
            Content content = Json.read(Files.readAllBytes(file), Content.class, file.toString());
            return content.tags() == null ? new TreeMap<>() : new TreeMap<>(content.tags());
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        }
    }

    void save(Map<String, Digest> tags) {
        try {
            AtomicFile.write(file, Json.canonicalBytes(new Content(new TreeMap<>(tags))));
        } catch (IOException e) {
            throw new SystemFailureException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
