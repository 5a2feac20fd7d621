package io.berth.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.client.JsonTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The digests of compose files (after interpolation) that passed the schema, so that a command on an unchanged
 * file skips the validator: compiling the compose-spec schema costs ~100 ms of a ~250 ms {@code up -d} with nothing
 * to do, its checks a few ms. Validation is a pure function of the schema, the validator and the model, so a
 * digest of all three is the key; an invalid model is never recorded, so its error is reported on every run.
 *
 * <pre>
 * ${XDG_CACHE_HOME:-$HOME/.cache}/berth/compose-valid/   0700
 *     SHA256-HEX                                          empty file: this model passed
 * </pre>
 * A cache only: when the directory cannot be made or written, files are validated every time.
 */
final class ValidatedModels {
    /** Entries kept at most; past it the directory is emptied (each edit of a file leaves one entry). */
    static final int LIMIT = 500;
    /** Changes when the validator or the way errors are reported changes, so old entries no longer match. */
    private static final String VALIDATOR = "networknt-2.0.8/berth-1";

    private final Path dir;

    ValidatedModels(Path dir) {
        this.dir = dir;
    }

    /** The user's cache (XDG_CACHE_HOME, else HOME/.cache), or none without either. */
    static ValidatedModels in(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        String home = env.get("HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : home != null && !home.isEmpty() ? Path.of(home, ".cache") : null;
        return new ValidatedModels(base == null ? null : base.resolve("berth").resolve("compose-valid"));
    }

    static String digest(JsonNode model) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(SchemaBytes.DIGEST);
            md.update(VALIDATOR.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // JsonTree, not an ObjectMapper: building a mapper costs tens of ms of a cold start, more than the check saves
            md.update(JsonTree.write(model).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean contains(String digest) {
        return dir != null && Files.exists(dir.resolve(digest));
    }

    void add(String digest) {
        if (dir == null) return;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.count() >= LIMIT) {
                    try (Stream<Path> old = Files.list(dir)) {
                        for (Path p : old.toList()) Files.deleteIfExists(p);
                    }
                }
            }
            Files.write(dir.resolve(digest), new byte[0]);
        } catch (IOException | UnsupportedOperationException e) {
            // a read-only or foreign cache directory: the file is validated again next time, nothing else changes
        }
    }

    /** The vendored schema's own digest, read once. */
    private static final class SchemaBytes {
        static final byte[] DIGEST = read();

        private static byte[] read() {
            try (InputStream in = ComposeSchema.class.getResourceAsStream("compose-spec.json")) {
                return MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
