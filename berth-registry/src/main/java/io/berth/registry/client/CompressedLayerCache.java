package io.berth.registry.client;

import io.berth.linux.AtomicFile;
import io.berth.oci.Digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What each stored layer compressed to in an earlier push (Docker keeps the same, diff ID to blob sum): a second
 * push of the layer asks the registry for that digest first and compresses nothing when it is there. One small
 * file per layer and compression, written atomically; an entry is only a hint (the compressor's output is
 * deterministic, and an upload is always verified by its digest), so a lost or stale one costs a compression.
 */
final class CompressedLayerCache {
    /** A compressed blob: its digest and size. */
    record Entry(Digest digest, long size) {}

    private final Path dir;

    CompressedLayerCache(Path dir) {
        this.dir = dir;
    }

    Optional<Entry> get(Digest layer, PushCompression compression) {
        try {
            String[] f = Files.readString(file(layer, compression), StandardCharsets.UTF_8).strip().split(" ");
            if (f.length != 2 || !Digest.isValid(f[0])) return Optional.empty();
            return Optional.of(new Entry(Digest.parse(f[0]), Long.parseLong(f[1])));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void put(Digest layer, PushCompression compression, Entry entry) {
        try {
            Files.createDirectories(dir);
            AtomicFile.write(file(layer, compression), (entry.digest() + " " + entry.size() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // a hint only: the next push compresses again
        }
    }

    private Path file(Digest layer, PushCompression compression) {
        return dir.resolve(layer.algorithm() + "-" + layer.hex() + "." + compression.id());
    }
}
