package io.berth.registry.client;

import io.berth.oci.MediaTypes;
import io.berth.oci.errors.InvalidArgumentException;

import java.util.Locale;

/**
 * How a push sends the layers berth stores uncompressed (built, committed, imported, loaded): gzip by default, as
 * Docker does and every registry user expects over a network, zstd when asked, or as stored ({@code none}: for a
 * registry on the same host, where compressing costs more than it saves). A layer already compressed (as
 * pulled) always goes up as stored.
 */
public enum PushCompression {
    GZIP, ZSTD, NONE;

    /** "gzip", "zstd" or "none" (any case); anything else is refused by name. */
    public static PushCompression parse(String name) {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "", "gzip" -> GZIP;
            case "zstd" -> ZSTD;
            case "none" -> NONE;
            default -> throw new InvalidArgumentException("unsupported compression " + name + " (use gzip, zstd or none)");
        };
    }

    /** The name the compressed-digest cache and the API use. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this push compresses a layer of {@code layerMediaType}: one stored uncompressed. */
    boolean compresses(String layerMediaType) {
        return this != NONE && (MediaTypes.OCI_LAYER_TAR.equals(layerMediaType) || DOCKER_LAYER_TAR.equals(layerMediaType));
    }

    /** The compressed layer's media type in a manifest of {@code manifestMediaType}. */
    String layerMediaType(String manifestMediaType) {
        boolean docker = MediaTypes.DOCKER_MANIFEST.equals(manifestMediaType);
        return switch (this) {
            case NONE -> throw new IllegalStateException("nothing is compressed with none");
            case GZIP -> docker ? MediaTypes.DOCKER_LAYER_TAR_GZIP : MediaTypes.OCI_LAYER_TAR_GZIP;
            case ZSTD -> {
                if (docker) {
                    // Docker's schema 2 has no zstd layer type
                    throw new InvalidArgumentException("zstd layers need an OCI manifest; this image has a Docker "
                            + "schema 2 manifest: push it with gzip");
                }
                yield MediaTypes.OCI_LAYER_TAR_ZSTD;
            }
        };
    }

    /** Docker schema 2's uncompressed layer type (rare: what some tools write for an uncompressed layer). */
    private static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
}
