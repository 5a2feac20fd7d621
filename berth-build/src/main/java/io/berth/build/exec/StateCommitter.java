package io.berth.build.exec;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.HistoryEntry;
import io.berth.oci.ImageConfig;
import io.berth.oci.ImageManifest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.RootFs;
import io.berth.oci.errors.SystemFailureException;
import io.berth.store.ContentStore;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes build results into the content store: layer tars (uncompressed, so blob digest = diff ID) and the
 * config and manifest of every intermediate state, so that the cache can point at them and the snapshot store
 * can unpack them for the next RUN. Configs and manifests are serialized with {@link Json#canonicalBytes}, and
 * every timestamp is the build's fixed instant, so equal inputs give equal digests.
 */
final class StateCommitter {
    private final ContentStore content;
    private final Path tmpDir;

    StateCommitter(ContentStore content, Path tmpDir) {
        this.content = content;
        this.tmpDir = tmpDir;
    }

    Descriptor putLayer(Collection<LayerEntry> entries, Instant mtime) {
        Path tmp = writeLayerTar(tmpDir, entries, mtime);
        try {
            return putLayerTar(tmp);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Writes the entries as a layer tar to a new temp file in {@code dir}; the caller deletes it. */
    static Path writeLayerTar(Path dir, Collection<LayerEntry> entries, Instant mtime) {
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "layer-", ".tar");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                LayerTarWriter.write(entries, mtime, out);
            }
            return tmp;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new SystemFailureException("cannot write layer: " + e.getMessage(), e);
        }
    }

    /** Puts a written layer tar into the content store (uncompressed: its digest is its diff ID). */
    Descriptor putLayerTar(Path tar) {
        try {
            Digest digest;
            try (InputStream in = Files.newInputStream(tar)) {
                digest = content.put(in);
            }
            return Descriptor.of(MediaTypes.OCI_LAYER_TAR, digest, Files.size(tar));
        } catch (IOException e) {
            throw new SystemFailureException("cannot store layer: " + e.getMessage(), e);
        }
    }

    static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // a stray temp file in the cache dir's tmp is removed at the next builder start
        }
    }

    /** The state after a step: {@code newLayer} (or null for a metadata-only step) and a history entry. */
    BuildState commit(BuildState parent, io.berth.oci.ContainerConfig runConfig, Descriptor newLayer, String createdBy,
                      String created) {
        ImageConfig old = parent.config();
        List<Descriptor> layers = new ArrayList<>(parent.layers());
        List<Digest> diffIds = new ArrayList<>(old.diffIds());
        if (newLayer != null) {
            layers.add(newLayer);
            diffIds.add(newLayer.digest());
        }
        List<HistoryEntry> history = new ArrayList<>(old.history() == null ? List.of() : old.history());
        history.add(new HistoryEntry(created, createdBy, null, null, newLayer == null ? Boolean.TRUE : null));
        ImageConfig config = new ImageConfig(old.architecture(), old.os(), old.variant(), created, old.author(),
                runConfig, RootFs.layers(diffIds), history);
        return write(config, layers);
    }

    BuildState write(ImageConfig config, List<Descriptor> layers) {
        byte[] configBytes = Json.canonicalBytes(config);
        Digest configDigest = content.put(configBytes);
        ImageManifest manifest = ImageManifest.oci(Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length),
                layers);
        Digest manifestDigest = content.put(Json.canonicalBytes(manifest));
        return new BuildState(config, layers, configDigest, manifestDigest);
    }

    /** Loads a state from its blobs, or null when any blob it needs is gone. */
    BuildState load(Digest configDigest, Digest manifestDigest) {
        if (!content.has(configDigest) || !content.has(manifestDigest)) {
            return null;
        }
        ImageManifest manifest = Json.read(content.read(manifestDigest), ImageManifest.class, "manifest " + manifestDigest);
        for (Descriptor layer : manifest.layers()) {
            if (!content.has(layer.digest())) {
                return null;
            }
        }
        ImageConfig config = Json.read(content.read(configDigest), ImageConfig.class, "image config " + configDigest);
        return new BuildState(config, manifest.layers(), configDigest, manifestDigest);
    }
}
