package io.berth.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Digest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.errors.InvalidArgumentException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the registry needs to know about a manifest it stores: its media type, the blobs it needs (config and
 * layers), the manifests it lists (for an index), its subject and artifact type (for the referrers API).
 * The raw bytes stay the source of truth; this is read from them and never serialised back.
 */
record ManifestDocument(String mediaType, List<Digest> blobs, List<Digest> children, Digest subject,
                        String artifactType, Map<String, String> annotations) {

    /** Layers that registries are not expected to hold: they carry URLs to fetch them elsewhere. */
    private static final Set<String> FOREIGN_LAYERS = Set.of(
            MediaTypes.DOCKER_FOREIGN_LAYER_TAR_GZIP,
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

    /**
     * Parses a manifest sent with {@code contentType} (may be null). The body's own mediaType wins when present,
     * and must agree with the Content-Type; without either, the shape decides (OCI allows an absent mediaType).
     */
    static ManifestDocument parse(byte[] raw, String contentType) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(raw);
        } catch (IOException e) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "manifest is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "manifest is not a JSON object");
        }
        String declared = text(root, "mediaType");
        String header = contentType == null ? null : contentType.split(";", 2)[0].trim();
        if (declared != null && header != null && !header.isEmpty() && !header.equals(declared)
                && !header.equals("application/json")) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID,
                    "Content-Type " + header + " does not match the manifest's mediaType " + declared);
        }
        String mediaType = declared != null ? declared
                : (header != null && (MediaTypes.isManifest(header) || MediaTypes.isIndex(header))) ? header
                : root.has("manifests") ? MediaTypes.OCI_INDEX
                : root.has("config") ? MediaTypes.OCI_MANIFEST : null;
        if (!MediaTypes.isManifest(mediaType) && !MediaTypes.isIndex(mediaType)) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "unsupported manifest media type: " + mediaType);
        }
        if (root.path("schemaVersion").asInt(0) != 2) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "schemaVersion must be 2");
        }
        try {
            List<Digest> blobs = new ArrayList<>();
            List<Digest> children = new ArrayList<>();
            String artifactType = text(root, "artifactType");
            if (MediaTypes.isManifest(mediaType)) {
                JsonNode config = root.get("config");
                if (config == null || !config.isObject()) {
                    throw new RegistryException(ErrorCode.MANIFEST_INVALID, "image manifest without config");
                }
                blobs.add(descriptorDigest(config));
                if (artifactType == null) {
                    artifactType = text(config, "mediaType");
                }
                JsonNode layers = root.path("layers");
                if (!layers.isMissingNode() && !layers.isArray()) {
                    throw new RegistryException(ErrorCode.MANIFEST_INVALID, "layers must be an array");
                }
                for (JsonNode layer : layers) {
                    if (!FOREIGN_LAYERS.contains(text(layer, "mediaType"))) {
                        blobs.add(descriptorDigest(layer));
                    }
                }
            } else {
                JsonNode manifests = root.path("manifests");
                if (!manifests.isArray()) {
                    throw new RegistryException(ErrorCode.MANIFEST_INVALID, "index without a manifests array");
                }
                for (JsonNode child : manifests) {
                    children.add(descriptorDigest(child));
                }
            }
            JsonNode subjectNode = root.get("subject");
            Digest subject = subjectNode == null || subjectNode.isNull() ? null : descriptorDigest(subjectNode);
            Map<String, String> annotations = new LinkedHashMap<>();
            root.path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
            return new ManifestDocument(mediaType, List.copyOf(blobs), List.copyOf(children), subject,
                    artifactType, annotations);
        } catch (InvalidArgumentException e) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, e.getMessage());
        }
    }

    private static Digest descriptorDigest(JsonNode descriptor) {
        String digest = text(descriptor, "digest");
        if (digest == null || !descriptor.path("size").canConvertToLong()) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "descriptor without digest or size");
        }
        return Digest.parse(digest);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }
}
