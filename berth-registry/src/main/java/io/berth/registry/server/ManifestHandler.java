package io.berth.registry.server;

import io.berth.oci.Digest;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /v2/<name>/manifests/<reference>}: GET, HEAD, PUT, DELETE by tag or digest. */
final class ManifestHandler {
    private final RegistryStorage storage;

    ManifestHandler(RegistryStorage storage) {
        this.storage = storage;
    }

    void get(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        RegistryStorage.StoredManifest manifest =
                storage.manifest(request.name(), ManifestReference.lookup(request.part("reference")));
        request.respond(200, manifest.mediaType(), manifest.bytes(), Map.of(
                "Docker-Content-Digest", manifest.digest().toString(),
                "ETag", "\"" + manifest.digest() + "\""));
    }

    void put(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        RepositoryName name = request.name();
        ManifestReference reference = ManifestReference.parse(request.part("reference"));
        byte[] bytes = request.smallBody(RegistryStorage.MAX_MANIFEST_BYTES);
        ManifestDocument document = ManifestDocument.parse(bytes, request.header("Content-Type"));
        // The digest is always of the raw bytes as sent, in the algorithm the client addressed them by.
        Digest digest = switch (reference) {
            case ManifestReference.ByDigest(Digest wanted) -> {
                MessageDigest md = wanted.newMessageDigest();
                Digest actual = Digest.of(wanted.algorithm(), md.digest(bytes));
                if (!actual.equals(wanted)) {
                    throw new RegistryException(ErrorCode.DIGEST_INVALID,
                            "manifest has digest " + actual + ", not " + wanted);
                }
                yield actual;
            }
            case ManifestReference.ByTag tag -> Digest.sha256(bytes);
        };
        storage.putManifest(name, reference, digest, bytes, document);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", "/v2/" + name.value() + "/manifests/" + digest);
        headers.put("Docker-Content-Digest", digest.toString());
        if (document.subject() != null) {
            headers.put("OCI-Subject", document.subject().toString());
        }
        request.respond(201, headers);
    }

    void delete(RegistryRequest request, Authorizer.Grant grant) throws IOException {
        storage.deleteManifest(request.name(), ManifestReference.lookup(request.part("reference")));
        request.respond(202, Map.of());
    }
}
