package io.berth.registry.server;

import io.berth.oci.Digest;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.store.ContentStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The registry's storage: blobs in a {@link ContentStore}, and per repository the links that say which blobs,
 * manifests and tags it has (layout: {@link RegistryLayout}). All repository checks happen here so handlers
 * cannot forget one: a blob is visible in a repository only when it is linked there and present.
 * <p>
 * Every link operation also refreshes the blob's modification time: that is how a concurrent
 * {@link GarbageCollector} learns that a blob became referenced after its mark phase began.
 */
public final class RegistryStorage {
    /** The spec asks registries to accept manifests of at least 4 MiB; larger ones are refused. */
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private final RegistryLayout layout;
    private final ContentStore blobs;

    public RegistryStorage(Path root) {
        this.layout = new RegistryLayout(root);
        this.blobs = new ContentStore(root);
        try {
            Files.createDirectories(layout.uploadsDir());
            Files.createDirectories(layout.repositoriesDir());
            Files.createDirectories(layout.blobsDir().resolve(Digest.SHA512));
        } catch (IOException e) {
            throw new SystemFailureException("cannot create " + root + ": " + e.getMessage(), e);
        }
    }

    RegistryLayout layout() {
        return layout;
    }

    public boolean repositoryExists(RepositoryName name) {
        return Files.isDirectory(layout.repository(name).resolve("_manifests"))
                || Files.isDirectory(layout.repository(name).resolve("_links"));
    }

    /** All repositories that hold a blob or manifest, sorted. */
    public List<RepositoryName> repositories() {
        Path top = layout.repositoriesDir();
        try (Stream<Path> walk = Files.walk(top)) {
            return walk.filter(p -> {
                        String leaf = p.getFileName().toString();
                        return (leaf.equals("_manifests") || leaf.equals("_links")) && Files.isDirectory(p);
                    })
                    .map(p -> top.relativize(p.getParent()).toString())
                    .distinct()
                    .map(RepositoryName::new)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SystemFailureException("cannot list repositories: " + e.getMessage(), e);
        }
    }

    // ---- blobs -------------------------------------------------------------------------------------------

    public boolean hasBlob(RepositoryName name, Digest digest) {
        return Files.exists(layout.blobLink(name, digest)) && blobs.has(digest);
    }

    /** Size of a blob visible in the repository, or {@code BLOB_UNKNOWN}. */
    public long blobSize(RepositoryName name, Digest digest) {
        if (!Files.exists(layout.blobLink(name, digest))) {
            throw blobUnknown(digest);
        }
        try {
            return Files.size(blobs.path(digest));
        } catch (IOException e) {
            throw blobUnknown(digest);
        }
    }

    /** The blob's file, for streaming it; only after {@link #blobSize} said it is visible. */
    Path blobFile(Digest digest) {
        return blobs.path(digest);
    }

    /** Links an existing blob into a repository (mount, or a blob another repository already uploaded). */
    public void linkBlob(RepositoryName name, Digest digest) {
        touchBlob(digest);
        Path link = layout.blobLink(name, digest);
        if (!Files.exists(link)) {
            DurableFiles.write(link, new byte[0]);
        }
    }

    /** Moves a verified, fsynced upload into the content store and links it into the repository. */
    void commitBlob(RepositoryName name, Path verifiedFile, Digest digest) {
        try {
            DurableFiles.moveInto(verifiedFile, blobs.path(digest));
        } catch (IOException e) {
            throw new SystemFailureException("cannot store blob " + digest + ": " + e.getMessage(), e);
        }
        linkBlob(name, digest);
    }

    public void unlinkBlob(RepositoryName name, Digest digest) {
        if (!DurableFiles.delete(layout.blobLink(name, digest))) {
            throw blobUnknown(digest);
        }
    }

    /**
     * Marks the blob as in use now. A garbage collector moves a doomed blob aside before deleting it; while it
     * is aside the touch cannot see it, so wait for the collector to either put it back or delete it.
     */
    private void touchBlob(Digest digest) {
        Path blob = blobs.path(digest);
        Path aside = GarbageCollector.asideName(blob);
        for (int attempt = 0; ; attempt++) {
            try {
                Files.setLastModifiedTime(blob, FileTime.from(Instant.now()));
                return;
            } catch (NoSuchFileException e) {
                if (!Files.exists(aside) || attempt > 400) {
                    throw blobUnknown(digest);
                }
                sleepBriefly();
            } catch (IOException e) {
                throw new SystemFailureException("cannot touch blob " + digest + ": " + e.getMessage(), e);
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemFailureException("interrupted", e);
        }
    }

    private static RegistryException blobUnknown(Digest digest) {
        return new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in this repository");
    }

    // ---- manifests ---------------------------------------------------------------------------------------

    /** A stored manifest: its bytes exactly as pushed, their digest, and the media type to serve them as. */
    public record StoredManifest(Digest digest, String mediaType, byte[] bytes) {
    }

    public StoredManifest manifest(RepositoryName name, ManifestReference reference) {
        Digest digest = resolve(name, reference);
        Path revision = layout.revision(name, digest);
        try {
            String mediaType = Files.readString(revision, StandardCharsets.UTF_8).trim();
            return new StoredManifest(digest, mediaType, Files.readAllBytes(blobs.path(digest)));
        } catch (NoSuchFileException e) {
            throw manifestUnknown(reference);
        } catch (IOException e) {
            throw new SystemFailureException("cannot read manifest " + digest + ": " + e.getMessage(), e);
        }
    }

    private Digest resolve(RepositoryName name, ManifestReference reference) {
        return switch (reference) {
            case ManifestReference.ByDigest(Digest d) -> d;
            case ManifestReference.ByTag(Tag tag) -> {
                try {
                    yield Digest.parse(Files.readString(layout.tag(name, tag), StandardCharsets.UTF_8).trim());
                } catch (NoSuchFileException e) {
                    throw manifestUnknown(reference);
                } catch (IOException | InvalidArgumentException e) {
                    throw new SystemFailureException("cannot read tag " + tag.value() + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * Stores a manifest after checking that everything it references is in the repository; if anything is
     * missing, nothing is stored. {@code digest} is the digest of {@code bytes} in the algorithm the client chose.
     */
    public void putManifest(RepositoryName name, ManifestReference reference, Digest digest, byte[] bytes,
                            ManifestDocument document) {
        for (Digest blob : document.blobs()) {
            if (!Files.exists(layout.blobLink(name, blob))) {
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "blob " + blob + " is not in " + name);
            }
        }
        for (Digest child : document.children()) {
            if (!Files.exists(layout.revision(name, child)) || !blobs.has(child)) {
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                        "manifest " + child + " is not in " + name);
            }
        }
        try {
            for (Digest blob : document.blobs()) {
                touchBlob(blob);
            }
            for (Digest child : document.children()) {
                touchBlob(child);
            }
        } catch (RegistryException e) {
            throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, e.getMessage());
        }
        if (!blobs.has(digest)) {
            blobs.putVerified(new java.io.ByteArrayInputStream(bytes), digest);
        } else {
            touchBlob(digest);
        }
        DurableFiles.write(layout.revision(name, digest), document.mediaType().getBytes(StandardCharsets.UTF_8));
        if (document.subject() != null) {
            DurableFiles.write(layout.referrer(name, document.subject(), digest), new byte[0]);
        }
        if (reference instanceof ManifestReference.ByTag(Tag tag)) {
            DurableFiles.write(layout.tag(name, tag), digest.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Deletes a manifest by digest, with the tags that point at it; or only the tag when given a tag. */
    public void deleteManifest(RepositoryName name, ManifestReference reference) {
        switch (reference) {
            case ManifestReference.ByTag(Tag tag) -> {
                if (!DurableFiles.delete(layout.tag(name, tag))) {
                    throw manifestUnknown(reference);
                }
            }
            case ManifestReference.ByDigest(Digest digest) -> {
                Path revision = layout.revision(name, digest);
                if (!Files.exists(revision)) {
                    throw manifestUnknown(reference);
                }
                // Tags first: a crash between the two steps then leaves an untagged manifest, never a dangling tag.
                for (String tag : tags(name)) {
                    Path tagFile = layout.tag(name, new Tag(tag));
                    try {
                        if (Files.readString(tagFile).trim().equals(digest.toString())) {
                            DurableFiles.delete(tagFile);
                        }
                    } catch (NoSuchFileException ignored) {
                        // deleted concurrently: nothing left to do for this tag
                    } catch (IOException e) {
                        throw new SystemFailureException("cannot read tag " + tag + ": " + e.getMessage(), e);
                    }
                }
                try {
                    ManifestDocument document = ManifestDocument.parse(Files.readAllBytes(blobs.path(digest)),
                            Files.readString(revision).trim());
                    if (document.subject() != null) {
                        DurableFiles.delete(layout.referrer(name, document.subject(), digest));
                    }
                } catch (IOException | RegistryException e) {
                    // an unreadable manifest has no referrer entry worth keeping; remove the revision regardless
                }
                DurableFiles.delete(revision);
            }
        }
    }

    /** The repository's tags, sorted; {@code NAME_UNKNOWN} if the repository does not exist. */
    public List<String> tags(RepositoryName name) {
        if (!repositoryExists(name)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + name + " is not known");
        }
        Path dir = layout.tagsDir(name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(Tag::isValid).sorted().toList();
        } catch (IOException e) {
            throw new SystemFailureException("cannot list tags of " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Descriptors of the manifests in the repository whose subject is {@code subject}, optionally only those of
     * one artifact type, as the referrers API returns them.
     */
    public List<Map<String, Object>> referrers(RepositoryName name, Digest subject, String artifactType) {
        Path dir = layout.referrersDir(name, subject);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> entries;
        try (Stream<Path> files = Files.list(dir)) {
            entries = files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new SystemFailureException("cannot list referrers: " + e.getMessage(), e);
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (Path entry : entries) {
            String[] parts = entry.getFileName().toString().split("-", 2);
            Digest digest;
            StoredManifest manifest;
            try {
                digest = new Digest(parts[0], parts[1]);
                manifest = manifest(name, new ManifestReference.ByDigest(digest));
            } catch (RuntimeException e) {
                continue; // deleted concurrently, or a stray file
            }
            ManifestDocument document = ManifestDocument.parse(manifest.bytes(), manifest.mediaType());
            if (artifactType != null && !artifactType.equals(document.artifactType())) {
                continue;
            }
            Map<String, Object> descriptor = new LinkedHashMap<>();
            descriptor.put("mediaType", manifest.mediaType());
            descriptor.put("digest", digest.toString());
            descriptor.put("size", manifest.bytes().length);
            if (document.artifactType() != null) {
                descriptor.put("artifactType", document.artifactType());
            }
            if (!document.annotations().isEmpty()) {
                descriptor.put("annotations", document.annotations());
            }
            result.add(descriptor);
        }
        return result;
    }

    private static RegistryException manifestUnknown(ManifestReference reference) {
        String what = switch (reference) {
            case ManifestReference.ByTag(Tag t) -> t.value();
            case ManifestReference.ByDigest(Digest d) -> d.toString();
        };
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + what + " is not known");
    }
}
