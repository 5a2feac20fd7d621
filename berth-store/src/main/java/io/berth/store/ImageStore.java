package io.berth.store;

import io.berth.linux.AtomicFile;
import io.berth.oci.ChainId;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.ImageManifest;
import io.berth.oci.ImageReference;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Images and tags. An image is a manifest, a config and layer blobs in the {@link ContentStore}; this class
 * keeps one small JSON record per image ({@code images/<idHex>.json}) and the tag table
 * ({@code repositories.json}), both written atomically (see {@link StoreLayout}), and holds them in memory.
 * All methods are thread-safe; unpacking snapshots happens outside the store's lock.
 */
public final class ImageStore {
    private static final System.Logger LOG = System.getLogger(ImageStore.class.getName());
    private static final Pattern FULL_ID = Pattern.compile("(sha256:)?[0-9a-f]{64}");
    private static final Pattern ID_PREFIX = Pattern.compile("(sha256:)?[0-9a-f]{1,64}");

    private record Loaded(StoredImage stored, ImageConfig config, ImageManifest manifest) {
    }

    private final StoreLayout layout;
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final TagFile tagFile;
    private final Map<Digest, Loaded> images = new HashMap<>();
    private final TreeMap<String, Digest> tags;

    public ImageStore(Path root, ContentStore content, SnapshotStore snapshots) {
        this.layout = new StoreLayout(root);
        this.content = content;
        this.snapshots = snapshots;
        this.tagFile = new TagFile(layout.repositories());
        try {
            Files.createDirectories(layout.imagesDir());
            this.tags = tagFile.load();
            loadImages();
        } catch (IOException e) {
            throw new SystemFailureException("cannot load image store at " + root + ": " + e.getMessage(), e);
        }
        tags.values().removeIf(id -> !images.containsKey(id));
    }

    private void loadImages() throws IOException {
        try (Stream<Path> files = Files.list(layout.imagesDir())) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    StoredImage stored = Json.read(Files.readAllBytes(file), StoredImage.class, file.toString());
                    images.put(stored.id(), load(stored));
                } catch (RuntimeException e) {
                    // One damaged record must not keep the daemon from starting; the image is simply absent.
                    LOG.log(System.Logger.Level.WARNING, "skipping image record " + file + ": " + e.getMessage());
                }
            }
        }
    }

    private Loaded load(StoredImage stored) {
        ImageManifest manifest = Json.read(content.read(stored.manifestDigest()), ImageManifest.class,
                "manifest " + stored.manifestDigest());
        ImageConfig config = Json.read(content.read(stored.id()), ImageConfig.class, "image config " + stored.id());
        return new Loaded(stored, config, manifest);
    }

    /**
     * Registers an image whose manifest, config and layer blobs are already in the content store (after an
     * import, load or pull). Registering a known image merges the repo digests.
     *
     * @param repoDigests familiar "name@sha256:..." references, empty unless it came from a registry
     */
    public synchronized ImageRecord add(Digest manifestDigest, List<String> repoDigests) {
        ImageManifest manifest = Json.read(content.read(manifestDigest), ImageManifest.class,
                "manifest " + manifestDigest);
        if (manifest.config() == null || (manifest.mediaType() != null && !MediaTypes.isManifest(manifest.mediaType()))) {
            throw new InvalidArgumentException("blob " + manifestDigest + " is not an image manifest");
        }
        Digest id = manifest.config().digest();
        if (!content.has(id)) {
            throw new InvalidArgumentException("config blob " + id + " of manifest " + manifestDigest + " is missing");
        }
        ImageConfig config = Json.read(content.read(id), ImageConfig.class, "image config " + id);
        if (config.diffIds().size() != manifest.layers().size()) {
            throw new InvalidArgumentException("manifest " + manifestDigest + " has " + manifest.layers().size()
                    + " layers but its config lists " + config.diffIds().size() + " diff IDs");
        }
        long size = 0;
        for (Descriptor layer : manifest.layers()) {
            if (!content.has(layer.digest())) {
                throw new InvalidArgumentException("layer blob " + layer.digest() + " is missing");
            }
            size += content.size(layer.digest());
        }
        TreeSet<String> digests = new TreeSet<>(repoDigests);
        Loaded existing = images.get(id);
        if (existing != null) {
            digests.addAll(existing.stored().repoDigests());
        }
        save(new Loaded(new StoredImage(id, manifestDigest, List.copyOf(digests), size), config, manifest));
        return record(id);
    }

    /**
     * Records that a registry holds the image under {@code repoDigest} ("name@sha256:..."), whose manifest may
     * differ from the stored one (a push compresses uncompressed layers: same config, other layer blobs).
     */
    public synchronized void addRepoDigest(Digest id, String repoDigest) {
        Loaded existing = images.get(id);
        if (existing == null) throw new NotFoundException("No such image: " + id);
        if (existing.stored().repoDigests().contains(repoDigest)) return;
        TreeSet<String> digests = new TreeSet<>(existing.stored().repoDigests());
        digests.add(repoDigest);
        StoredImage s = existing.stored();
        save(new Loaded(new StoredImage(s.id(), s.manifestDigest(), List.copyOf(digests), s.size()), existing.config(),
                existing.manifest()));
    }

    private void save(Loaded image) {
        Path file = layout.image(image.stored().id());
        try {
            AtomicFile.write(file, Json.canonicalBytes(image.stored()));
        } catch (IOException e) {
            throw new SystemFailureException("cannot write " + file + ": " + e.getMessage(), e);
        }
        images.put(image.stored().id(), image);
    }

    /**
     * Finds an image by "name[:tag]", "name@digest", full ID ("sha256:..." or 64 hex) or unique ID prefix,
     * in Docker's order; {@link NotFoundException} "No such image: ref" otherwise.
     */
    public synchronized ImageRecord resolve(String ref) {
        return find(ref).orElseThrow(() -> new NotFoundException("No such image: " + ref));
    }

    public synchronized Optional<ImageRecord> find(String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        if (FULL_ID.matcher(ref).matches()) {
            Digest id = Digest.parse(ref.startsWith("sha256:") ? ref : "sha256:" + ref);
            if (images.containsKey(id)) {
                return Optional.of(record(id));
            }
        }
        Optional<Digest> byName = findByName(ref);
        if (byName.isPresent()) {
            return byName.map(this::record);
        }
        if (ID_PREFIX.matcher(ref).matches()) {
            String prefix = ref.startsWith("sha256:") ? ref.substring(7) : ref;
            List<Digest> matches = images.keySet().stream().filter(id -> id.hex().startsWith(prefix)).toList();
            if (matches.size() > 1) {
                throw new InvalidArgumentException("image ID prefix " + ref + " is ambiguous");
            }
            if (matches.size() == 1) {
                return Optional.of(record(matches.getFirst()));
            }
        }
        return Optional.empty();
    }

    /**
     * An invalid reference is the caller's error (Docker's 400 "invalid reference format"), not a missing
     * image; an ID or ID prefix (64 hex digits are no valid name) goes on to be looked up as one.
     */
    private Optional<Digest> findByName(String ref) {
        ImageReference parsed;
        try {
            parsed = ImageReference.parse(ref);
        } catch (InvalidArgumentException e) {
            if (ID_PREFIX.matcher(ref).matches()) return Optional.empty();
            throw e;
        }
        if (parsed.digest() != null) {
            String wanted = parsed.familiarName() + "@" + parsed.digest();
            return images.values().stream()
                    .filter(l -> l.stored().repoDigests().contains(wanted)
                            || l.stored().manifestDigest().equals(parsed.digest()))
                    .map(l -> l.stored().id())
                    .findFirst();
        }
        return Optional.ofNullable(tags.get(parsed.canonical()));
    }

    public synchronized Optional<ImageRecord> get(Digest id) {
        return images.containsKey(id) ? Optional.of(record(id)) : Optional.empty();
    }

    /** All images, newest first. */
    public synchronized List<ImageRecord> list() {
        return images.keySet().stream().map(this::record)
                .sorted(Comparator.comparing(ImageRecord::created).reversed().thenComparing(ImageRecord::id))
                .toList();
    }

    /** Points {@code ref} ("name[:tag]", tag defaults to latest) at the image, moving it from any other image. */
    public synchronized void tag(Digest id, String ref) {
        requireImage(id);
        ImageReference parsed = ImageReference.parse(ref);
        if (parsed.digest() != null) {
            throw new InvalidArgumentException("refusing to create a tag with a digest reference: " + ref);
        }
        tags.put(parsed.canonical(), id);
        tagFile.save(tags);
    }

    /** Removes a tag; returns the removed familiar references. {@link NotFoundException} if not tagged. */
    public synchronized List<String> untag(String ref) {
        ImageReference parsed;
        try {
            parsed = ImageReference.parse(ref);
        } catch (InvalidArgumentException e) {
            throw new NotFoundException("No such image: " + ref);
        }
        if (parsed.digest() != null || tags.remove(parsed.canonical()) == null) {
            throw new NotFoundException("No such image: " + ref);
        }
        tagFile.save(tags);
        return List.of(parsed.familiar());
    }

    /**
     * Deletes the image, its tags, and the blobs and snapshots no other image uses and no open {@link Lease}
     * holds (a pull may be reusing a shared layer right now). The caller checks first that no container uses the
     * image (its snapshots would vanish under the container's overlay).
     */
    /** Removes the image and what only it used; returns the bytes of its layers that went with it (prune reports them). */
    public long delete(Digest id) {
        // As the GC's sweep: an operation that registers an image sharing these blobs and closes its lease between
        // the kept sets below and the deletion still counts as holding what it wrote.
        content.leases().beginCollection();
        try {
            return deleteCollecting(id);
        } finally {
            content.leases().endCollection();
        }
    }

    private long deleteCollecting(Digest id) {
        Loaded gone;
        Set<Digest> keptBlobs = new HashSet<>();
        Set<Digest> keptChains = new HashSet<>();
        synchronized (this) {
            gone = requireImage(id);
            if (tags.values().removeIf(id::equals)) {
                tagFile.save(tags);
            }
            images.remove(id);
            try {
                Files.deleteIfExists(layout.image(id));
            } catch (IOException e) {
                throw new SystemFailureException("cannot delete image record " + id + ": " + e.getMessage(), e);
            }
            for (Loaded l : images.values()) {
                keptBlobs.addAll(blobsOf(l));
                keptChains.addAll(chainIds(l.config()));
            }
        }
        long[] freed = {0};
        Set<Digest> layers = new HashSet<>();
        gone.manifest().layers().forEach(d -> layers.add(d.digest()));
        List<Path> trash = content.leases().exclusive(held -> {
            for (Digest blob : new java.util.LinkedHashSet<>(blobsOf(gone))) {
                if (!keptBlobs.contains(blob) && !held.blobs().contains(blob)) {
                    if (layers.contains(blob) && content.has(blob)) freed[0] += content.size(blob);
                    content.delete(blob);
                }
            }
            List<Path> detached = new ArrayList<>();
            for (Digest chain : chainIds(gone.config())) {
                if (!keptChains.contains(chain) && !held.snapshots().contains(chain)) {
                    Path t = snapshots.detach(chain);
                    if (t != null) {
                        detached.add(t);
                    }
                }
            }
            return detached;
        });
        trash.forEach(DirectoryTrees::deleteQuietly);
        return freed[0];
    }

    private static List<Digest> blobsOf(Loaded l) {
        List<Digest> blobs = new ArrayList<>();
        blobs.add(l.stored().manifestDigest());
        blobs.add(l.stored().id());
        l.manifest().layers().forEach(d -> blobs.add(d.digest()));
        return blobs;
    }

    private static List<Digest> chainIds(ImageConfig config) {
        return config.diffIds().isEmpty() ? List.of() : ChainId.all(config.diffIds());
    }

    public synchronized List<Digest> diffIds(Digest id) {
        return requireImage(id).config().diffIds();
    }

    public synchronized ImageManifest manifest(Digest id) {
        return requireImage(id).manifest();
    }

    public synchronized long size(Digest id) {
        return requireImage(id).stored().size();
    }

    /** The image's snapshots as overlay lowerdirs, topmost first, unpacking layers not yet unpacked. */
    public List<Path> lowerDirs(Digest id) {
        Loaded image;
        synchronized (this) {
            image = requireImage(id);
        }
        // The lease keeps the staging directories of an unpack safe from a concurrent prune's temp sweep.
        try (Lease lease = content.leases().acquire("unpack " + id.shortId())) {
            return snapshots.prepare(image.manifest().layers(), image.config().diffIds());
        }
    }

    /**
     * What the image records keep alive: each image's manifest, config and layer blobs (required) and the
     * snapshots of its layers (kept, but not required: a layer is unpacked on first use), plus each tag's image.
     */
    public synchronized List<StoreReference> references() {
        List<StoreReference> refs = new ArrayList<>();
        for (Loaded l : images.values()) {
            String owner = "image " + l.stored().id();
            for (Digest blob : blobsOf(l)) {
                refs.add(new StoreReference(owner, StoreReference.Kind.BLOB, blob, true));
            }
            for (Digest chain : chainIds(l.config())) {
                refs.add(new StoreReference(owner, StoreReference.Kind.SNAPSHOT, chain, false));
            }
        }
        tags.forEach((tag, id) -> refs.add(new StoreReference("tag " + tag, StoreReference.Kind.IMAGE, id, true)));
        return refs;
    }

    /** The diff IDs of every image's layers, bottom first, by image ID: what its snapshots must have been unpacked from. */
    public synchronized Map<Digest, List<Digest>> layerDiffIds() {
        Map<Digest, List<Digest>> all = new TreeMap<>();
        images.forEach((id, l) -> all.put(id, l.config().diffIds()));
        return all;
    }

    private Loaded requireImage(Digest id) {
        Loaded l = images.get(id);
        if (l == null) {
            throw new NotFoundException("No such image: " + id);
        }
        return l;
    }

    private ImageRecord record(Digest id) {
        Loaded l = images.get(id);
        List<String> repoTags = tags.entrySet().stream().filter(e -> e.getValue().equals(id))
                .map(e -> ImageReference.parse(e.getKey()).familiar()).sorted().toList();
        return new ImageRecord(id, repoTags, l.stored().repoDigests(), l.stored().manifestDigest(), l.config(),
                l.stored().size(), l.config().createdInstant());
    }
}
