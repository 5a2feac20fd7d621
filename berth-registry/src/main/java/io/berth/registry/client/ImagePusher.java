package io.berth.registry.client;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageManifest;
import io.berth.oci.ImageReference;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.errors.BerthException;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.store.ContentStore;
import io.berth.store.ImageRecord;
import io.berth.store.ImageStore;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * One push: the config and layer blobs go up concurrently (each compressed when stored uncompressed by
 * {@link PushBlobs}, then skipped, mounted or uploaded by {@link BlobUpload}), then the manifest under the tag:
 * byte for byte as stored when every blob went up as stored, else the stored manifest with the compressed layers'
 * descriptors (the config, and so the image ID, stays the same, as with Docker). Afterwards the image records the
 * repository digest, which is also how a later push to another repository of the same registry knows it can
 * mount instead of upload.
 */
final class ImagePusher {
    private final RegistrySession session;
    private final ContentStore content;
    private final ImageStore images;
    private final Semaphore uploadSlots;
    private final long chunkSize;
    private final PushBlobs blobs;

    ImagePusher(RegistrySession session, ContentStore content, ImageStore images, Semaphore uploadSlots,
                long chunkSize, PushBlobs blobs) {
        this.session = session;
        this.content = content;
        this.images = images;
        this.uploadSlots = uploadSlots;
        this.chunkSize = chunkSize;
        this.blobs = blobs;
    }

    /** The repository paths of the same registry that the store knows to hold each blob (from repo digests). */
    static Map<Digest, String> mountSources(ImageStore images, ImageReference target) {
        Map<Digest, String> sources = new HashMap<>();
        for (ImageRecord record : images.list()) {
            for (String repoDigest : record.repoDigests()) {
                ImageReference known;
                try {
                    known = ImageReference.parse(repoDigest);
                } catch (InvalidArgumentException e) {
                    continue;
                }
                if (!known.domain().equals(target.domain()) || known.path().equals(target.path())) {
                    continue;
                }
                ImageManifest manifest = images.manifest(record.id());
                sources.putIfAbsent(manifest.config().digest(), known.path());
                manifest.layers().forEach(layer -> sources.putIfAbsent(layer.digest(), known.path()));
            }
        }
        return sources;
    }

    PushResult push(ImageReference ref, ImageRecord image, Map<Digest, String> mountSources,
                    ProgressListener listener) {
        byte[] storedBytes = content.read(image.manifestDigest());
        ImageManifest manifest = images.manifest(image.id());
        List<Digest> diffIds = images.diffIds(image.id());
        listener.onProgress(ProgressEvent.message("The push refers to repository [" + ref.name() + "]"));

        List<Descriptor> layers = manifest.layers();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            String id = (i < diffIds.size() ? diffIds.get(i) : layers.get(i).digest()).shortId();
            ids.add(id);
            listener.onProgress(ProgressEvent.of(id, "Preparing"));
        }
        List<Digest> uploaded = Collections.synchronizedList(new ArrayList<>());
        List<Digest> mounted = Collections.synchronizedList(new ArrayList<>());
        List<Digest> existing = Collections.synchronizedList(new ArrayList<>());
        BlobUpload upload = new BlobUpload(session, chunkSize);
        Map<Digest, Descriptor> pushedAs = new java.util.concurrent.ConcurrentHashMap<>();
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Digest> seen = new ArrayList<>();
            for (int i = layers.size() - 1; i >= -1; i--) {
                Descriptor blob = i < 0 ? manifest.config() : layers.get(i);
                if (seen.contains(blob.digest())) {
                    continue;
                }
                seen.add(blob.digest());
                String id = i < 0 ? null : ids.get(i);
                futures.add(executor.submit(() -> {
                    PushBlobs.Pushed pushed = pushSlotted(upload, blob, manifest.mediaType(),
                            mountSources.get(blob.digest()), id, listener);
                    pushedAs.put(blob.digest(), pushed.descriptor());
                    BlobUpload.Outcome outcome = pushed.outcome();
                    (switch (outcome) {
                        case EXISTS -> existing;
                        case MOUNTED -> mounted;
                        case UPLOADED -> uploaded;
                    }).add(blob.digest());
                    return null;
                }));
            }
        }
        await(futures);
        List<Descriptor> pushedLayers = layers.stream().map(l -> pushedAs.get(l.digest())).toList();
        byte[] manifestBytes = pushedLayers.equals(layers) ? storedBytes : Json.canonicalBytes(new ImageManifest(
                manifest.schemaVersion(), manifest.mediaType(), manifest.config(), pushedLayers, manifest.annotations()));
        Digest manifestDigest = Digest.sha256(manifestBytes);
        putManifest(ref, manifest, manifestBytes, manifestDigest);
        images.addRepoDigest(image.id(), ref.familiarName() + "@" + manifestDigest);
        listener.onProgress(ProgressEvent.message(ref.tag() + ": digest: " + manifestDigest + " size: "
                + manifestBytes.length));
        return new PushResult(ref.tag(), manifestDigest, manifestBytes.length, uploaded, mounted, existing);
    }

    private PushBlobs.Pushed pushSlotted(BlobUpload upload, Descriptor blob, String manifestMediaType, String mountFrom,
                                         String id, ProgressListener listener) {
        boolean waiting = !uploadSlots.tryAcquire();
        if (waiting) {
            if (id != null) {
                listener.onProgress(ProgressEvent.of(id, "Waiting"));
            }
            try {
                uploadSlots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SystemFailureException("push interrupted", e);
            }
        }
        try {
            return blobs.push(upload, blob, manifestMediaType, mountFrom, id, listener);
        } finally {
            uploadSlots.release();
        }
    }

    private void putManifest(ImageReference ref, ImageManifest manifest, byte[] bytes, Digest digest) {
        String mediaType = manifest.mediaType() != null ? manifest.mediaType() : MediaTypes.OCI_MANIFEST;
        HttpResponse<InputStream> response = session.send(HttpRequest.newBuilder(
                        session.resource("manifests", ref.tag()))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        if (response.statusCode() != 201) {
            throw RegistrySession.errorOf(response).toException("pushing manifest for " + ref.familiar());
        }
        RegistrySession.discard(response);
        String announced = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (announced != null && Digest.isValid(announced) && Digest.parse(announced).algorithm().equals(
                digest.algorithm()) && !Digest.parse(announced).equals(digest)) {
            throw new SystemFailureException("registry stored manifest " + digest + " as " + announced);
        }
    }

    private static void await(List<Future<?>> futures) {
        BerthException first = null;
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                BerthException failure = switch (e.getCause()) {
                    case BerthException b -> b;
                    case Throwable t -> new SystemFailureException("layer upload failed: " + t, t);
                };
                first = first == null ? failure : first;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SystemFailureException("push interrupted", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
