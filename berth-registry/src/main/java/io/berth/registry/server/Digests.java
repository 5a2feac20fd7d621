package io.berth.registry.server;

import io.berth.oci.Digest;
import io.berth.oci.errors.InvalidArgumentException;

/** Digest parsing that reports the spec's {@code DIGEST_INVALID} instead of berth's generic error. */
final class Digests {
    private Digests() {
    }

    static Digest parse(String text) {
        try {
            return Digest.parse(text);
        } catch (InvalidArgumentException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage());
        }
    }
}
