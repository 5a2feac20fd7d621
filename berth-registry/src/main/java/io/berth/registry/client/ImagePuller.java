package io.berth.registry.client;

import io.berth.oci.ChainId;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.ImageIndex;
import io.berth.oci.ImageManifest;
import io.berth.oci.ImageReference;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.Platform;
import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.store.ContentStore;
import io.berth.store.ImageRecord;
import io.berth.store.ImageStore;
import io.berth.store.SnapshotStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One pull: resolve the reference to a single-platform manifest (through an index if there is one), fetch the
 * config and the missing layers concurrently, then register the image and (optionally) unpack it. Blobs enter
 * the content store only verified; the manifest goes in last, so an image is registered only when everything
 * it names is present.
 */
final class ImagePuller {
    private static final Set<String> LAYER_TYPES = Set.of(MediaTypes.OCI_LAYER_TAR, MediaTypes.OCI_LAYER_TAR_GZIP,
            MediaTypes.OCI_LAYER_TAR_ZSTD, MediaTypes.DOCKER_LAYER_TAR_GZIP, MediaTypes.DOCKER_FOREIGN_LAYER_TAR_GZIP,
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

    private final RegistrySession session;
    private final ContentStore content;
    private final ImageStore images;
    private final SnapshotStore snapshots;
    private final Path partials;
    private final Semaphore downloadSlots;
    private final ConcurrentHashMap<Digest, ReentrantLock> blobLocks;
    private final boolean unpack;

    ImagePuller(RegistrySession session, ContentStore content, ImageStore images, SnapshotStore snapshots,
                Path partials,
                Semaphore downloadSlots, ConcurrentHashMap<Digest, ReentrantLock> blobLocks, boolean unpack) {
        this.session = session;
        this.content = content;
        this.images = images;
        this.snapshots = snapshots;
        this.partials = partials;
        this.downloadSlots = downloadSlots;
        this.blobLocks = blobLocks;
        this.unpack = unpack;
    }

    PullResult pull(ImageReference ref, Platform platform, ProgressListener listener) {
        String reference = ref.digest() != null ? ref.digest().toString() : ref.tag();
        // dockerd says "Pulling from" once the manifest is there: a pull that fails before (no such repository or
        // tag, no registry) has said nothing, so the API can still answer it as an HTTP error.
        ManifestDocument top = fetchManifest(ref, reference, ref.digest());
        listener.onProgress(ProgressEvent.of(reference, "Pulling from " + ref.path()));
        ManifestDocument single = top;
        if (top.isIndex()) {
            ImageIndex index = Json.read(top.bytes(), ImageIndex.class, "index " + top.digest());
            Descriptor chosen = PlatformSelector.select(index, platform);
            single = fetchManifest(ref, chosen.digest().toString(), chosen.digest());
            if (single.isIndex()) {
                throw new InvalidArgumentException("index " + top.digest() + " points at another index for "
                        + platform.os() + "/" + platform.architecture());
            }
        }
        ImageManifest manifest = Json.read(single.bytes(), ImageManifest.class, "manifest " + single.digest());
        checkManifest(manifest, single.digest());

        List<Digest> downloaded = Collections.synchronizedList(new ArrayList<>());
        BlobDownload download = new BlobDownload(session, content, partials);
        if (fetchLocked(download, manifest.config(), null, listener, null)) {
            downloaded.add(manifest.config().digest());
        }
        Map<Digest, Supplier<StreamingUnpack>> streamable = unpack ? streamableLayers(manifest) : Map.of();
        List<Descriptor> fetchedLayers = fetchLayers(download, manifest.layers(), streamable, listener, downloaded);

        content.putVerified(new ByteArrayInputStream(single.bytes()), single.digest());
        Digest id = manifest.config().digest();
        boolean known = images.get(id).isPresent();
        String repoDigest = ref.familiarName() + "@" + top.digest();
        ImageRecord record = images.add(single.digest(), List.of(repoDigest));
        if (unpack) {
            unpackLayers(id, known, fetchedLayers, listener);
        }
        if (ref.digest() == null) {
            images.tag(id, ref.canonical());
        }
        record = images.get(id).orElseThrow();
        boolean newer = !known || !downloaded.isEmpty();
        listener.onProgress(ProgressEvent.message("Digest: " + top.digest()));
        listener.onProgress(ProgressEvent.message("Status: " + (newer ? "Downloaded newer image for "
                : "Image is up to date for ") + ref.familiar()));
        return new PullResult(record, top.digest(), single.digest(), downloaded, newer);
    }

    /**
     * The layer that can be unpacked while it downloads: the lowest one without a snapshot, since a layer's
     * hardlinks may point into older layers, so every snapshot below it must already be in place (always
     * true for the bottom layer). The others are unpacked after the download as before. A config that does
     * not fit the manifest streams nothing; the regular path reports it.
     */
    private Map<Digest, Supplier<StreamingUnpack>> streamableLayers(ImageManifest manifest) {
        List<Digest> diffIds;
        try {
            ImageConfig config = Json.read(content.read(manifest.config().digest()), ImageConfig.class,
                    "image config " + manifest.config().digest());
            diffIds = config.diffIds();
        } catch (BerthException e) {
            return Map.of();
        }
        List<Descriptor> layers = manifest.layers();
        if (diffIds.size() != layers.size() || layers.isEmpty()) {
            return Map.of();
        }
        List<Digest> chainIds = ChainId.all(diffIds);
        Map<Digest, Supplier<StreamingUnpack>> streamable = new HashMap<>();
        List<Path> below = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Digest chainId = chainIds.get(i);
            Digest diffId = diffIds.get(i);
            Digest blob = layers.get(i).digest();
            if (!snapshots.has(chainId)) {
                List<Path> lowerDirs = List.copyOf(below);
                streamable.putIfAbsent(blob, () -> new StreamingUnpack(snapshots, chainId, diffId, blob, lowerDirs));
                break;
            }
            below.addFirst(snapshots.path(chainId));
        }
        return streamable;
    }

    private void unpackLayers(Digest id, boolean known, List<Descriptor> fetchedLayers, ProgressListener listener) {
        try {
            images.lowerDirs(id);
        } catch (BerthException e) {
            if (!known) {
                // A layer that does not unpack to its diff ID makes the image unusable; drop it and its blobs.
                images.delete(id);
            }
            throw e;
        }
        for (Descriptor layer : fetchedLayers) {
            listener.onProgress(ProgressEvent.of(layer.digest().shortId(), "Pull complete"));
        }
    }

    private static void checkManifest(ImageManifest manifest, Digest digest) {
        if (manifest.config() == null || manifest.config().digest() == null) {
            throw new InvalidArgumentException("manifest " + digest + " has no config");
        }
        for (Descriptor layer : manifest.layers()) {
            if (layer.digest() == null) {
                throw new InvalidArgumentException("manifest " + digest + " has a layer without digest");
            }
            if (layer.mediaType() != null && !LAYER_TYPES.contains(layer.mediaType())) {
                throw new InvalidArgumentException("manifest " + digest + " has a layer of unsupported media type "
                        + layer.mediaType());
            }
        }
    }

    private ManifestDocument fetchManifest(ImageReference ref, String reference, Digest expected) {
        return ManifestGet.fetch(session, ref, reference, expected);
    }

    /** Fetches the missing layers concurrently; returns the ones that were downloaded. */
    private List<Descriptor> fetchLayers(BlobDownload download, List<Descriptor> layers,
                                         Map<Digest, Supplier<StreamingUnpack>> streamable,
                                         ProgressListener listener, List<Digest> downloaded) {
        List<Descriptor> missing = new ArrayList<>();
        for (Descriptor layer : layers) {
            if (content.has(layer.digest())) {
                listener.onProgress(ProgressEvent.of(layer.digest().shortId(), "Already exists"));
            } else if (!missing.contains(layer)) {
                missing.add(layer);
                listener.onProgress(ProgressEvent.of(layer.digest().shortId(), "Pulling fs layer"));
            }
        }
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Descriptor layer : missing) {
                futures.add(executor.submit(() -> {
                    if (fetchLocked(download, layer, layer.digest().shortId(), listener,
                            streamable.get(layer.digest()))) {
                        downloaded.add(layer.digest());
                    }
                    return null;
                }));
            }
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw switch (e.getCause()) {
                    case BerthException b -> b;
                    case RuntimeException r -> new SystemFailureException("layer download failed: " + r, r);
                    case Throwable t -> new SystemFailureException("layer download failed: " + t, t);
                };
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SystemFailureException("pull interrupted", e);
            }
        }
        return missing;
    }

    /**
     * Downloads a blob under a per-digest lock and a download slot. Returns false when the blob turned out to be
     * present (another pull fetched it meanwhile).
     */
    private boolean fetchLocked(BlobDownload download, Descriptor blob, String id, ProgressListener listener,
                                Supplier<StreamingUnpack> unpackWhileDownloading) {
        ReentrantLock lock = blobLocks.computeIfAbsent(blob.digest(), d -> new ReentrantLock());
        boolean waiting = id != null && !downloadSlots.tryAcquire();
        if (waiting) {
            listener.onProgress(ProgressEvent.of(id, "Waiting"));
        }
        try {
            if (waiting || id == null) {
                downloadSlots.acquire();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("pull interrupted", e);
        }
        lock.lock();
        try {
            if (content.has(blob.digest())) {
                if (id != null) {
                    listener.onProgress(ProgressEvent.of(id, "Download complete"));
                }
                return false;
            }
            download.fetch(blob, id, listener,
                    unpackWhileDownloading == null ? null : unpackWhileDownloading.get());
            return true;
        } finally {
            lock.unlock();
            downloadSlots.release();
        }
    }
}
