package io.berth.registry.server;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.berth.oci.errors.InvalidArgumentException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users and bcrypt password hashes in Apache's htpasswd format ({@code user:$2y$...}, also $2a$ and $2b$, as
 * {@code htpasswd -B} writes). bcrypt is slow on purpose (~50 ms a check), and clients send Basic credentials
 * on every request, so a successful check is remembered by a sha256 of user and password.
 */
public final class HtpasswdFile {
    private final Map<String, String> hashes;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    private HtpasswdFile(Map<String, String> hashes) {
        this.hashes = hashes;
    }

    public static HtpasswdFile load(Path file) {
        Map<String, String> hashes = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int colon = trimmed.indexOf(':');
                String hash = colon < 0 ? "" : trimmed.substring(colon + 1);
                if (colon <= 0 || !(hash.startsWith("$2y$") || hash.startsWith("$2a$") || hash.startsWith("$2b$"))) {
                    throw new InvalidArgumentException("htpasswd " + file + ": only bcrypt entries are supported");
                }
                hashes.put(trimmed.substring(0, colon), hash);
            }
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read htpasswd file " + file + ": " + e.getMessage(), e);
        }
        return new HtpasswdFile(Map.copyOf(hashes));
    }

    public boolean verify(String user, String password) {
        String hash = hashes.get(user);
        if (hash == null) {
            return false;
        }
        String key = fingerprint(user, password, hash);
        if (verified.contains(key)) {
            return true;
        }
        boolean ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.US_ASCII)).verified;
        if (ok) {
            verified.add(key);
        }
        return ok;
    }

    private static String fingerprint(String user, String password, String hash) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {user, password, hash}) {
                md.update(part.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
