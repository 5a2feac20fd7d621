package io.berth.registry.client;

import io.berth.oci.Digest;
import io.berth.oci.ImageReference;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * One manifest GET: the document as the registry sent it (an image manifest or an index), checked against the
 * digest asked for or, for a tag, the digest the registry announces. Used by pulls and by distribution inspect.
 */
final class ManifestGet {
    static final int MAX_MANIFEST = 4 << 20;

    private ManifestGet() {
    }

    static ManifestDocument fetch(RegistrySession session, ImageReference ref, String reference, Digest expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(session.resource("manifests", reference)).GET()
                .header("Accept", ManifestDocument.ACCEPT);
        HttpResponse<InputStream> response = session.send(request);
        String what = "manifest for " + ref.familiarName() + (reference.contains(":") ? "@" : ":") + reference;
        if (response.statusCode() != 200) {
            RegistryError error = RegistrySession.errorOf(response);
            if (response.statusCode() == 404) {
                throw new NotFoundException(what + " not found: " + error.getMessage(), error);
            }
            throw error.toException(what);
        }
        byte[] bytes;
        try {
            bytes = RegistrySession.readLimited(response, MAX_MANIFEST);
        } catch (IOException e) {
            throw session.unreachable(e);
        }
        ManifestDocument document = ManifestDocument.of(bytes,
                response.headers().firstValue("Content-Type").orElse(null), what);
        Optional<Digest> announced = response.headers().firstValue("Docker-Content-Digest")
                .filter(Digest::isValid).map(Digest::parse);
        Digest claimed = expected != null ? expected : announced.orElse(null);
        if (claimed != null && !digestOf(bytes, claimed.algorithm()).equals(claimed)) {
            throw new InvalidArgumentException(what + " does not match its digest " + claimed);
        }
        return document;
    }

    private static Digest digestOf(byte[] bytes, String algorithm) {
        if (algorithm.equals(Digest.SHA256)) {
            return Digest.sha256(bytes);
        }
        Digest probe = new Digest(algorithm, "0".repeat(algorithm.equals(Digest.SHA512) ? 128 : 64));
        return Digest.of(algorithm, probe.newMessageDigest().digest(bytes));
    }
}
