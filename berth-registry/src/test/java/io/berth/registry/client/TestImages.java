package io.berth.registry.client;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.HistoryEntry;
import io.berth.oci.ContainerConfig;
import io.berth.oci.ImageConfig;
import io.berth.oci.ImageManifest;
import io.berth.oci.Json;
import io.berth.oci.MediaTypes;
import io.berth.oci.RootFs;
import io.berth.store.ImageRecord;
import io.berth.store.StoreServices;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small test images built from tars made on the spot. */
final class TestImages {
    private TestImages() {
    }

    static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setMode(0100644);
                entry.setSize(file.getValue().length);
                entry.setModTime(1_600_000_000_000L);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] textTar(String name, String text) {
        return tar(Map.of(name, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A tar holding {@code size} random (incompressible) bytes. */
    static byte[] randomTar(String name, int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return tar(Map.of(name, data));
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A one-layer image through berth's importer (OCI media types, uncompressed layer). */
    static ImageRecord imported(StoreServices store, byte[] tar, String ref) {
        return store.importer().importRootfs(new ByteArrayInputStream(tar), ref, null, "test");
    }

    /**
     * An image with the given layers written straight into the content store. With {@code docker} true it uses
     * Docker schema 2 media types and gzips every layer; otherwise OCI types, the first layer uncompressed
     * (so it is the same blob as an imported one-layer image of that tar) and the others gzipped.
     */
    static ImageRecord layered(StoreServices store, List<byte[]> tars, boolean docker, String ref) {
        List<Descriptor> layers = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        for (int i = 0; i < tars.size(); i++) {
            byte[] tar = tars.get(i);
            diffIds.add(Digest.sha256(tar));
            boolean compress = docker || i > 0;
            byte[] blob = compress ? gzip(tar) : tar;
            Digest digest = store.content().put(blob);
            String type = docker ? MediaTypes.DOCKER_LAYER_TAR_GZIP
                    : compress ? MediaTypes.OCI_LAYER_TAR_GZIP : MediaTypes.OCI_LAYER_TAR;
            layers.add(Descriptor.of(type, digest, blob.length));
        }
        ImageConfig config = new ImageConfig("amd64", "linux", null, "2024-01-02T03:04:05Z", null,
                ContainerConfig.empty(), RootFs.layers(diffIds),
                List.of(new HistoryEntry("2024-01-02T03:04:05Z", null, null, "layered " + ref, null)));
        byte[] configBytes = Json.canonicalBytes(config);
        Digest configDigest = store.content().put(configBytes);
        Descriptor configDescriptor = Descriptor.of(docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG,
                configDigest, configBytes.length);
        ImageManifest manifest = new ImageManifest(2, docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST,
                configDescriptor, layers, null);
        Digest manifestDigest = store.content().put(Json.canonicalBytes(manifest));
        ImageRecord record = store.images().add(manifestDigest, List.of());
        store.images().tag(record.id(), ref);
        return store.images().get(record.id()).orElseThrow();
    }

    static Map<String, byte[]> files(String... nameAndText) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < nameAndText.length; i += 2) {
            files.put(nameAndText[i], nameAndText[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }
}
