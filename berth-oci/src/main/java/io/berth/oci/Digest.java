package io.berth.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.berth.oci.errors.InvalidArgumentException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:e3b0...}. The compact constructor validates strictly because digests
 * come from untrusted manifests and archives and end up as file names in the content store: a digest that is
 * not exactly lowercase hex of the right length would be a path traversal waiting to happen.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
    public static final String SHA256 = "sha256";
    public static final String SHA512 = "sha512";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA512_HEX = Pattern.compile("[0-9a-f]{128}");

    public Digest {
        if (algorithm == null || hex == null) {
            throw new InvalidArgumentException("invalid digest: missing algorithm or hex");
        }
        Pattern expected = switch (algorithm) {
            case SHA256 -> SHA256_HEX;
            case SHA512 -> SHA512_HEX;
            default -> throw new InvalidArgumentException("unsupported digest algorithm: " + algorithm);
        };
        if (!expected.matcher(hex).matches()) {
            throw new InvalidArgumentException("invalid " + algorithm + " digest hex: " + hex);
        }
    }

    /** Parses {@code algorithm:hex}; anything else is an {@link InvalidArgumentException}. */
    @JsonCreator
    public static Digest parse(String text) {
        if (text == null) {
            throw new InvalidArgumentException("invalid digest: null");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new InvalidArgumentException("invalid digest: " + text);
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** True when {@code text} is a well-formed digest. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidArgumentException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] data) {
        MessageDigest md = newMessageDigest(SHA256);
        return new Digest(SHA256, HexFormat.of().formatHex(md.digest(data)));
    }

    /** Builds a digest from the raw output of a finished {@link MessageDigest}. */
    public static Digest of(String algorithm, byte[] rawDigest) {
        return new Digest(algorithm, HexFormat.of().formatHex(rawDigest));
    }

    static MessageDigest newMessageDigest(String algorithm) {
        String javaName = switch (algorithm) {
            case SHA256 -> "SHA-256";
            case SHA512 -> "SHA-512";
            default -> throw new InvalidArgumentException("unsupported digest algorithm: " + algorithm);
        };
        try {
            return MessageDigest.getInstance(javaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + javaName, e);
        }
    }

    /** A fresh {@link MessageDigest} for this digest's algorithm, to verify content against it. */
    public MessageDigest newMessageDigest() {
        return newMessageDigest(algorithm);
    }

    /** The first 12 hex characters, as Docker shows image and layer IDs. */
    public String shortId() {
        return hex.substring(0, 12);
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }
}
