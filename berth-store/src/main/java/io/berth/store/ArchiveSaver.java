package io.berth.store;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageIndex;
import io.berth.oci.ImageManifest;
import io.berth.oci.ImageReference;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code docker save}: writes a tar that is both a docker-save archive and an OCI image layout, like Docker 25+:
 * <pre>
 * blobs/sha256/&lt;hex&gt;   manifests, configs, layers (as stored)
 * index.json           OCI index; one entry per requested tag, annotated with the image name and tag
 * manifest.json        docker-save manifest pointing into blobs/
 * oci-layout           {"imageLayoutVersion":"1.0.0"}
 * repositories         legacy name -&gt; tag -&gt; image ID map
 * </pre>
 * Entries are sorted and carry fixed metadata ({@link DeterministicTarWriter}), so saving the same images twice
 * yields identical bytes.
 */
public final class ArchiveSaver {
    private static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final String OCI_REF_NAME = "org.opencontainers.image.ref.name";

    private final ContentStore content;
    private final ImageStore images;

    public ArchiveSaver(ContentStore content, ImageStore images) {
        this.content = content;
        this.images = images;
    }

    /** Saves the named images; a name[:tag] reference also saves that tag, an ID saves the image untagged. */
    public void save(List<String> refsOrIds, OutputStream out) {
        if (refsOrIds.isEmpty()) {
            throw new InvalidArgumentException("no images to save");
        }
        Map<Digest, List<ImageReference>> selected = new LinkedHashMap<>();
        for (String ref : refsOrIds) {
            ImageRecord image = images.resolve(ref);
            List<ImageReference> tags = selected.computeIfAbsent(image.id(), k -> new ArrayList<>());
            ImageReference tag = requestedTag(ref, image);
            if (tag != null && !tags.contains(tag)) {
                tags.add(tag);
            }
        }
        TreeSet<Digest> blobs = new TreeSet<>();
        List<Descriptor> indexEntries = new ArrayList<>();
        List<DockerSaveManifest> saveManifests = new ArrayList<>();
        TreeMap<String, TreeMap<String, String>> repositories = new TreeMap<>();
        for (var selection : selected.entrySet()) {
            ImageRecord image = images.get(selection.getKey()).orElseThrow();
            ImageManifest manifest = images.manifest(image.id());
            blobs.add(image.manifestDigest());
            blobs.add(image.id());
            manifest.layers().forEach(l -> blobs.add(l.digest()));

            Descriptor manifestDescriptor = Descriptor.of(
                    manifest.mediaType() == null ? MediaTypes.OCI_MANIFEST : manifest.mediaType(),
                    image.manifestDigest(), content.size(image.manifestDigest()));
            if (selection.getValue().isEmpty()) {
                indexEntries.add(manifestDescriptor);
            }
            for (ImageReference tag : selection.getValue()) {
                indexEntries.add(manifestDescriptor.withAnnotations(Map.of(
                        CONTAINERD_NAME, tag.canonical(), OCI_REF_NAME, tag.tag())));
                repositories.computeIfAbsent(tag.familiarName(), k -> new TreeMap<>()).put(tag.tag(), image.id().hex());
            }
            saveManifests.add(new DockerSaveManifest(blobPath(image.id()),
                    selection.getValue().stream().map(ImageReference::familiar).toList(),
                    manifest.layers().stream().map(l -> blobPath(l.digest())).toList()));
        }
        try {
            DeterministicTarWriter tar = new DeterministicTarWriter(out);
            tar.directory("blobs");
            tar.directory("blobs/sha256");
            for (Digest blob : blobs) {
                try (InputStream in = content.open(blob)) {
                    tar.file(blobPath(blob), content.size(blob), in);
                }
            }
            tar.file("index.json", Json.canonicalBytes(ImageIndex.oci(indexEntries)));
            tar.file("manifest.json", Json.canonicalBytes(saveManifests));
            tar.file("oci-layout", ("{\"imageLayoutVersion\":\"" + MediaTypes.OCI_LAYOUT_VERSION + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            tar.file("repositories", Json.canonicalBytes(repositories));
            tar.finish();
            out.flush();
        } catch (IOException e) {
            throw new SystemFailureException("cannot write image archive: " + e.getMessage(), e);
        }
    }

    /** The tag a request names, if it named one of the image's tags (not an ID or digest). */
    private static ImageReference requestedTag(String ref, ImageRecord image) {
        try {
            ImageReference parsed = ImageReference.parse(ref);
            if (parsed.digest() == null && image.repoTags().contains(parsed.familiar())) {
                return parsed;
            }
        } catch (InvalidArgumentException e) {
            // an ID or ID prefix
        }
        return null;
    }

    private static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }
}
