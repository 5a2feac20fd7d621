package io.berth.store;

import io.berth.oci.ContainerConfig;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.HistoryEntry;
import io.berth.oci.ImageConfig;
import io.berth.oci.ImageManifest;
import io.berth.oci.ImageReference;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.Platform;
import io.berth.oci.RootFs;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code docker import}: turns a root filesystem tar into a one-layer image. The layer is stored uncompressed
 * (gzip input is decompressed first), so its blob digest equals its diff ID; the manifest and config use the
 * OCI media types. The layer is unpacked into its snapshot right away, which also validates every entry.
 */
public final class ImageImporter {
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final ImageStore images;

    public ImageImporter(ContentStore content, SnapshotStore snapshots, ImageStore images) {
        this.content = content;
        this.snapshots = snapshots;
        this.images = images;
    }

    /**
     * @param tar         a rootfs tar, uncompressed or gzip
     * @param optionalRef "name[:tag]" to tag the image with, or null
     * @param changes     the config to run with (null for none)
     * @param comment     history comment, or null for Docker's "Imported from -"
     */
    public ImageRecord importRootfs(InputStream tar, String optionalRef, ContainerConfig changes, String comment) {
        if (optionalRef != null && !optionalRef.isEmpty()) {
            ImageReference.parse(optionalRef); // refuse a bad name before doing the work
        }
        // The lease holds the layer, config and manifest until the image record references them; a failed or
        // killed import leaves them to the garbage collector.
        try (Lease lease = content.leases().acquire("import")) {
            Digest layer;
            try {
                layer = content.put(Compression.decompressed(tar, "import"));
            } catch (IOException e) {
                throw new SystemFailureException("cannot read import stream: " + e.getMessage(), e);
            }
            Descriptor layerDescriptor = Descriptor.of(MediaTypes.OCI_LAYER_TAR, layer, content.size(layer));
            snapshots.prepare(List.of(layerDescriptor), List.of(layer));
            String created = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
            Platform host = Platform.host();
            ImageConfig config = new ImageConfig(host.architecture(), host.os(), null, created, null,
                    changes == null ? ContainerConfig.empty() : changes, RootFs.layers(List.of(layer)),
                    List.of(new HistoryEntry(created, null, null,
                            comment == null || comment.isEmpty() ? "Imported from -" : comment, null)));
            byte[] configBytes = Json.canonicalBytes(config);
            Digest configDigest = content.put(configBytes);
            ImageManifest manifest = ImageManifest.oci(
                    Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), List.of(layerDescriptor));
            Digest manifestDigest = content.put(Json.canonicalBytes(manifest));
            ImageRecord record = images.add(manifestDigest, List.of());
            if (optionalRef != null && !optionalRef.isEmpty()) {
                images.tag(record.id(), optionalRef);
                record = images.get(record.id()).orElseThrow();
            }
            return record;
        }
    }
}
