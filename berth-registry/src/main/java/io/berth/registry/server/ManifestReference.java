package io.berth.registry.server;

import io.berth.oci.Digest;

/** The {@code <reference>} of a manifest URL: a tag or a digest. */
public sealed interface ManifestReference {
    record ByTag(Tag tag) implements ManifestReference {
    }

    record ByDigest(Digest digest) implements ManifestReference {
    }

    static ManifestReference parse(String text) {
        if (text.contains(":")) {
            return new ByDigest(Digests.parse(text));
        }
        if (!Tag.isValid(text)) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "invalid tag: " + text);
        }
        return new ByTag(new Tag(text));
    }
}
