package io.berth.store;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.ImageIndex;
import io.berth.oci.ImageManifest;
import io.berth.oci.ImageReference;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.Platform;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import com.fasterxml.jackson.core.type.TypeReference;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docker load}: imports the images of
 * <ul>
 *   <li>a docker-save tar ({@code manifest.json} + config JSON + layer tars, either the classic
 *       {@code <id>/layer.tar} layout or Docker 25+'s {@code blobs/sha256/<hex>}), or</li>
 *   <li>an OCI image-layout tar ({@code oci-layout}, {@code index.json}, {@code blobs/}); images are tagged
 *       from the {@code io.containerd.image.name} or a full {@code org.opencontainers.image.ref.name}
 *       annotation.</li>
 * </ul>
 * When both are present (berth's own saves) {@code manifest.json} wins, as in Docker. The archive is read once
 * into a temp dir inside the store root; every blob is verified against its digest before it enters the content
 * store, and every layer is unpacked (which checks its diff ID) before the image is registered.
 */
public final class ArchiveLoader {
    private static final long MAX_JSON = 16L << 20;
    private static final Pattern BLOB_PATH = Pattern.compile("blobs/(sha256|sha512)/([0-9a-f]+)");
    private static final Pattern LEGACY_CONFIG = Pattern.compile("([0-9a-f]{64})\\.json");
    private static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final String OCI_REF_NAME = "org.opencontainers.image.ref.name";

    private final StoreLayout layout;
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final ImageStore images;

    public ArchiveLoader(Path root, ContentStore content, SnapshotStore snapshots, ImageStore images) {
        this.layout = new StoreLayout(root);
        this.content = content;
        this.snapshots = snapshots;
        this.images = images;
    }

    /** Loads every image in the archive and returns them (with their tags) in archive order. */
    public List<ImageRecord> load(InputStream archiveStream) {
        return load(archiveStream, r -> { });
    }

    /** As {@link #load(InputStream)}, telling {@code onImage} of each image as soon as it is registered. */
    public List<ImageRecord> load(InputStream archiveStream, Consumer<ImageRecord> onImage) {
        // The lease holds the blobs and snapshots until the image records reference them; a load that fails or
        // is killed part-way leaves them to the garbage collector.
        try (Lease lease = content.leases().acquire("load");
             ExtractedArchive archive = ExtractedArchive.read(archiveStream, layout.tmpDir())) {
            if (archive.has("manifest.json")) {
                return loadDockerSave(archive, onImage);
            }
            if (archive.has("index.json")) {
                return loadOciLayout(archive, onImage);
            }
            throw new InvalidArgumentException("archive: neither manifest.json nor index.json found");
        }
    }

    private List<ImageRecord> loadDockerSave(ExtractedArchive archive, Consumer<ImageRecord> onImage) {
        List<DockerSaveManifest> entries = Json.read(archive.read("manifest.json", MAX_JSON),
                new TypeReference<List<DockerSaveManifest>>() { }, "manifest.json");
        List<ImageRecord> loaded = new ArrayList<>();
        for (DockerSaveManifest entry : entries) {
            if (entry.config() == null) {
                throw new InvalidArgumentException("archive: manifest.json entry without Config");
            }
            for (String tag : entry.repoTags()) {
                ImageReference.parse(tag);
            }
            Path configFile = archive.file(entry.config());
            Digest configDigest = storeFile(configFile, expectedDigest(entry.config()));
            byte[] configBytes = content.read(configDigest);
            ImageConfig config = Json.read(configBytes, ImageConfig.class, "image config " + configDigest);
            if (config.diffIds().size() != entry.layers().size()) {
                throw new InvalidArgumentException("archive: config " + configDigest + " lists "
                        + config.diffIds().size() + " diff IDs but manifest.json has " + entry.layers().size()
                        + " layers");
            }
            List<Descriptor> layers = new ArrayList<>();
            for (int i = 0; i < entry.layers().size(); i++) {
                String layerPath = entry.layers().get(i);
                Path file = archive.file(layerPath);
                Digest blob = storeFile(file, expectedDigest(layerPath));
                layers.add(Descriptor.of(layerMediaType(file), blob, content.size(blob)));
            }
            ImageManifest manifest = ImageManifest.oci(
                    Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), layers);
            snapshots.prepare(manifest.layers(), config.diffIds());
            Digest manifestDigest = content.put(Json.canonicalBytes(manifest));
            ImageRecord record = images.add(manifestDigest, List.of());
            for (String tag : entry.repoTags()) {
                images.tag(record.id(), tag);
            }
            loaded.add(images.get(record.id()).orElseThrow());
            onImage.accept(loaded.getLast());
        }
        return loaded;
    }

    private List<ImageRecord> loadOciLayout(ExtractedArchive archive, Consumer<ImageRecord> onImage) {
        ImageIndex index = Json.read(archive.read("index.json", MAX_JSON), ImageIndex.class, "index.json");
        List<ImageRecord> loaded = new ArrayList<>();
        for (Descriptor descriptor : index.manifests()) {
            Descriptor manifestDescriptor = selectManifest(archive, descriptor);
            byte[] manifestBytes = storeBlob(archive, manifestDescriptor.digest());
            ImageManifest manifest = Json.read(manifestBytes, ImageManifest.class,
                    "manifest " + manifestDescriptor.digest());
            if (manifest.config() == null) {
                throw new InvalidArgumentException("archive: manifest " + manifestDescriptor.digest() + " has no config");
            }
            byte[] configBytes = storeBlob(archive, manifest.config().digest());
            ImageConfig config = Json.read(configBytes, ImageConfig.class, "image config " + manifest.config().digest());
            for (Descriptor layer : manifest.layers()) {
                storeBlob(archive, layer.digest());
            }
            snapshots.prepare(manifest.layers(), config.diffIds());
            ImageRecord record = images.add(manifestDescriptor.digest(), List.of());
            String name = imageName(descriptor);
            if (name != null) {
                images.tag(record.id(), name);
            }
            loaded.add(images.get(record.id()).orElseThrow());
            onImage.accept(loaded.getLast());
        }
        return loaded;
    }

    /** Follows nested indexes down to one manifest, preferring the host's platform. */
    private Descriptor selectManifest(ExtractedArchive archive, Descriptor descriptor) {
        Descriptor current = descriptor;
        for (int depth = 0; MediaTypes.isIndex(current.mediaType()); depth++) {
            if (depth > 4) {
                throw new InvalidArgumentException("archive: image indexes nested too deeply");
            }
            ImageIndex nested = Json.read(storeBlob(archive, current.digest()), ImageIndex.class,
                    "index " + current.digest());
            Platform host = Platform.host();
            current = nested.manifests().stream()
                    .filter(d -> d.platform() != null && host.os().equals(d.platform().os())
                            && host.architecture().equals(d.platform().architecture()))
                    .findFirst()
                    .or(() -> nested.manifests().stream().findFirst())
                    .orElseThrow(() -> new InvalidArgumentException("archive: empty image index"));
        }
        return current;
    }

    private static String imageName(Descriptor descriptor) {
        String containerd = descriptor.annotation(CONTAINERD_NAME);
        if (containerd != null && !containerd.isEmpty()) {
            return containerd;
        }
        String refName = descriptor.annotation(OCI_REF_NAME);
        // A bare ref.name is only a tag ("latest") with no repository to put it in.
        if (refName != null && (refName.contains("/") || refName.contains(":"))) {
            return refName;
        }
        return null;
    }

    /** Copies the OCI layout blob into the content store, verified; returns its bytes if small enough to parse. */
    private byte[] storeBlob(ExtractedArchive archive, Digest digest) {
        Path file = archive.file("blobs/" + digest.algorithm() + "/" + digest.hex());
        storeFile(file, digest);
        try {
            return Files.size(file) <= MAX_JSON ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new SystemFailureException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Digest storeFile(Path file, Digest expected) {
        try (InputStream in = Files.newInputStream(file)) {
            if (expected == null) {
                return content.put(in);
            }
            content.putVerified(in, expected);
            return expected;
        } catch (IOException e) {
            throw new SystemFailureException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The digest a path names ("blobs/sha256/<hex>" or legacy "<hex>.json"), or null if it names none. */
    private static Digest expectedDigest(String path) {
        String normalised = TarEntryName.normalise("archive", path);
        Matcher blob = BLOB_PATH.matcher(normalised);
        if (blob.matches()) {
            return new Digest(blob.group(1), blob.group(2));
        }
        Matcher legacy = LEGACY_CONFIG.matcher(normalised);
        if (legacy.matches()) {
            return new Digest(Digest.SHA256, legacy.group(1));
        }
        return null;
    }

    private static String layerMediaType(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return switch (Compression.detect(in)) {
                case NONE -> MediaTypes.OCI_LAYER_TAR;
                case GZIP -> MediaTypes.OCI_LAYER_TAR_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_TAR_ZSTD;
            };
        } catch (IOException e) {
            throw new SystemFailureException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

}
