package io.berth.registry.server;

import io.berth.oci.Digest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /v2/<name>/referrers/<digest>?artifactType=}: an OCI index of the manifests whose subject is the digest. */
final class ReferrersHandler {
    private final RegistryStorage storage;

    ReferrersHandler(RegistryStorage storage) {
        this.storage = storage;
    }

    void list(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        Digest subject = Digests.parse(request.part("digest"));
        String artifactType = request.query("artifactType");
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", storage.referrers(request.name(), subject, artifactType));
        request.respond(200, MediaTypes.OCI_INDEX, Json.canonicalBytes(index),
                artifactType == null ? Map.of() : Map.of("OCI-Filters-Applied", "artifactType"));
    }
}
