package io.berth.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Digest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.errors.InvalidArgumentException;

import java.io.IOException;

/**
 * A manifest or index exactly as the registry sent it. The bytes are kept because the digest is over them:
 * re-serialising a manifest would change its digest.
 *
 * @param bytes     the raw body
 * @param mediaType what it is: an image manifest or an index type of {@link MediaTypes}
 * @param digest    sha256 of the bytes
 */
record ManifestDocument(byte[] bytes, String mediaType, Digest digest) {
    static final String ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);
    private static final String DOCKER_SCHEMA1_PREFIX = "application/vnd.docker.distribution.manifest.v1";

    boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    /**
     * Identifies the document: by Content-Type if it names a known type, else by its {@code mediaType} field,
     * else by shape (OCI allows the field to be absent). Docker schema 1 and anything else is refused.
     */
    static ManifestDocument of(byte[] bytes, String contentType, String what) {
        String header = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        String type = header;
        if (!MediaTypes.isManifest(type) && !MediaTypes.isIndex(type)) {
            type = typeFromBody(bytes, what);
        }
        if (type.startsWith(DOCKER_SCHEMA1_PREFIX) || header.startsWith(DOCKER_SCHEMA1_PREFIX)) {
            throw new InvalidArgumentException(what + " is a Docker image manifest v2 schema 1, which is not "
                    + "supported; push the image again with a current client");
        }
        if (!MediaTypes.isManifest(type) && !MediaTypes.isIndex(type)) {
            throw new InvalidArgumentException(what + " has unsupported media type \"" + type + "\"");
        }
        return new ManifestDocument(bytes, type, Digest.sha256(bytes));
    }

    private static String typeFromBody(byte[] bytes, String what) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new InvalidArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new InvalidArgumentException(what + " is not a JSON object");
        }
        String field = json.path("mediaType").asText("");
        if (!field.isEmpty()) {
            return field;
        }
        if (json.path("schemaVersion").asInt() == 1) {
            return DOCKER_SCHEMA1_PREFIX + "+json";
        }
        if (json.has("manifests")) {
            return MediaTypes.OCI_INDEX;
        }
        return json.has("config") ? MediaTypes.OCI_MANIFEST : "";
    }
}
