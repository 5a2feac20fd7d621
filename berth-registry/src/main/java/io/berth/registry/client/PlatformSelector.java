package io.berth.registry.client;

import io.berth.oci.Descriptor;
import io.berth.oci.ImageIndex;
import io.berth.oci.MediaTypes;
import io.berth.oci.Platform;
import io.berth.oci.errors.NotFoundException;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the manifest for a platform from an index or manifest list. OS and architecture must match; among the
 * matches an exact variant wins, then an entry without variant, then the first one. Entries that are not image
 * manifests (attestations, nested indexes) are skipped.
 */
final class PlatformSelector {
    private PlatformSelector() {
    }

    static Descriptor select(ImageIndex index, Platform wanted) {
        return find(index, wanted).orElseThrow(() -> new NotFoundException("no matching manifest for "
                + wanted.os() + "/" + wanted.architecture()
                + (wanted.variant() == null ? "" : "/" + wanted.variant()) + " in the manifest list entries"));
    }

    static Optional<Descriptor> find(ImageIndex index, Platform wanted) {
        return index.manifests().stream()
                .filter(d -> d.mediaType() == null || MediaTypes.isManifest(d.mediaType()))
                .filter(d -> d.platform() != null)
                .filter(d -> Objects.equals(d.platform().os(), wanted.os())
                        && Objects.equals(d.platform().architecture(), wanted.architecture()))
                .min(Comparator.comparingInt(d -> variantRank(d.platform(), wanted)));
    }

    private static int variantRank(Platform candidate, Platform wanted) {
        if (Objects.equals(candidate.variant(), wanted.variant())) {
            return 0;
        }
        return candidate.variant() == null ? 1 : 2;
    }
}
