package io.berth.build.exec;

import io.berth.linux.AtomicFile;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.oci.Digest;
import io.berth.oci.Json;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The build cache: step key -> resulting state, one small JSON file per key so it survives daemon restarts.
 * <pre>
 * &lt;cacheDir&gt;/
 * ├── steps/&lt;keyHex&gt;.json   {"config": "sha256:...", "manifest": "sha256:..."}
 * ├── tmp/                   layer tars being written, entries being renamed into place
 * └── mounts/ run-mounts/    RUN --mount caches and scratch ({@link CacheMounts})
 * </pre>
 * A key is the sha256 of the parent state's config digest, the instruction after substitution and what else
 * the step reads (build args for RUN, the content digest of the files for COPY/ADD). Entries are written to a
 * temp name and renamed, so a crash leaves an entry whole or absent. An entry whose blobs were deleted since
 * (the images using them were removed) is simply a miss.
 */
final class BuildCache {
    record Entry(@JsonProperty("config") Digest config, @JsonProperty("manifest") Digest manifest) {
    }

    private final Path stepsDir;
    private final Path tmpDir;
    private final CacheMounts mounts;

    BuildCache(Path cacheDir) {
        this.stepsDir = cacheDir.resolve("steps");
        this.tmpDir = cacheDir.resolve("tmp");
        try {
            Files.createDirectories(stepsDir);
            Files.createDirectories(tmpDir);
        } catch (IOException e) {
            throw new SystemFailureException("cannot create build cache at " + cacheDir + ": " + e.getMessage(), e);
        }
        this.mounts = new CacheMounts(cacheDir);
    }

    CacheMounts mounts() {
        return mounts;
    }

    Path tmpDir() {
        return tmpDir;
    }

    static Digest key(Digest parent, String instruction, List<String> inputs) {
        StringBuilder sb = new StringBuilder("parent ").append(parent).append('\n')
                .append("step ").append(instruction.length()).append(' ').append(instruction).append('\n');
        for (String input : inputs) {
            sb.append("input ").append(input.length()).append(' ').append(input).append('\n');
        }
        return Digest.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    Optional<Entry> get(Digest key) {
        try {
            return Optional.of(Json.read(Files.readAllBytes(stepsDir.resolve(key.hex() + ".json")), Entry.class, "cache entry"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged entry is a miss; the step runs again and rewrites it
        }
    }

    void put(Digest key, BuildState state) {
        try {
            AtomicFile.write(stepsDir.resolve(key.hex() + ".json"),
                    Json.canonicalBytes(new Entry(state.configDigest(), state.manifestDigest())));
        } catch (IOException e) {
            throw new SystemFailureException("cannot write build cache entry: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the entries {@code which} selects, given the entry (null when damaged: always deleted) and when it
     * was written, and every RUN --mount cache no RUN uses now (a cache holds no layer and has no record a filter
     * could select on); returns the entries' keys. Blobs stay: images may share them, the garbage collector frees
     * the rest.
     */
    List<String> prune(java.util.function.BiPredicate<Entry, java.time.Instant> which) {
        mounts.prune();
        List<String> removed = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(stepsDir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                Entry entry = null;
                java.time.Instant written;
                try {
                    written = Files.getLastModifiedTime(p).toInstant();
                    entry = Json.read(Files.readAllBytes(p), Entry.class, "cache entry");
                } catch (NoSuchFileException e) {
                    continue;
                } catch (IOException | RuntimeException e) {
                    written = java.time.Instant.EPOCH; // damaged: a miss anyway, so always reclaimable
                }
                if ((entry == null || which.test(entry, written)) && Files.deleteIfExists(p)) {
                    removed.add(name.endsWith(".json") ? name.substring(0, name.length() - 5) : name);
                }
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot prune build cache: " + e.getMessage(), e);
        }
        return removed;
    }

    /** A readable entry with its key and when it was written, for `docker system df`. */
    record Record(String key, Entry entry, java.time.Instant written) {}

    /** Every readable entry with its key; damaged ones are skipped (they are misses). */
    List<Record> records() {
        try (Stream<Path> files = Files.list(stepsDir)) {
            List<Record> all = new java.util.ArrayList<>();
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    String name = p.getFileName().toString();
                    all.add(new Record(name.substring(0, name.length() - 5),
                            Json.read(Files.readAllBytes(p), Entry.class, "cache entry"), Files.getLastModifiedTime(p).toInstant()));
                } catch (IOException | RuntimeException e) {
                    // a damaged or vanished entry is a miss
                }
            }
            return all;
        } catch (IOException e) {
            throw new SystemFailureException("cannot list build cache: " + e.getMessage(), e);
        }
    }

    /** Every readable entry; damaged ones are skipped (they are misses). */
    List<Entry> entries() {
        try (Stream<Path> files = Files.list(stepsDir)) {
            List<Entry> all = new java.util.ArrayList<>();
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    all.add(Json.read(Files.readAllBytes(p), Entry.class, "cache entry"));
                } catch (IOException | RuntimeException e) {
                    // a damaged or vanished entry is a miss
                }
            }
            return all;
        } catch (IOException e) {
            throw new SystemFailureException("cannot list build cache: " + e.getMessage(), e);
        }
    }

    int size() {
        try (Stream<Path> files = Files.list(stepsDir)) {
            return (int) files.count();
        } catch (IOException e) {
            return 0;
        }
    }
}
