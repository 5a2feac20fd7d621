package io.berth.registry.server;

import io.berth.oci.Digest;

/** The {@code <reference>} of a manifest URL: a tag or a digest. */
public sealed interface ManifestReference {
    record ByTag(Tag tag) implements ManifestReference {
    }

    record ByDigest(Digest digest) implements ManifestReference {
    }

    /** The reference a manifest is written to (PUT): an invalid tag is the client's error, TAG_INVALID (400). */
    static ManifestReference parse(String text) {
        if (text.contains(":")) {
            return new ByDigest(Digests.parse(text));
        }
        if (!Tag.isValid(text)) {
            throw new RegistryException(ErrorCode.TAG_INVALID, "invalid tag: " + text);
        }
        return new ByTag(new Tag(text));
    }

    /**
     * The reference a manifest is read or deleted by (GET, HEAD, DELETE): no manifest can exist under an
     * invalid tag, so it is unknown (404), as the spec's endpoint table lists for these methods.
     */
    static ManifestReference lookup(String text) {
        if (!text.contains(":") && !Tag.isValid(text)) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown: no such tag");
        }
        return parse(text);
    }
}
