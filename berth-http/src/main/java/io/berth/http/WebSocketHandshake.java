package io.berth.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The server's side of the WebSocket opening handshake (RFC 6455 4.2): checks a request head and computes the
 * {@code Sec-WebSocket-Accept} value its 101 answer carries. A request that is not a version-13 WebSocket upgrade is
 * {@link Refused} (a 400; for another version the answer names the one spoken, {@value #VERSION}).
 */
public final class WebSocketHandshake {
    public static final String VERSION = "13";
    /** The RFC's fixed GUID, appended to the client's key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int KEY_BYTES = 16;

    private WebSocketHandshake() {}

    /** Why a request is not a WebSocket upgrade berthd can accept. */
    public static final class Refused extends Exception {
        private final boolean wrongVersion;

        Refused(String message, boolean wrongVersion) {
            super(message);
            this.wrongVersion = wrongVersion;
        }

        /** The answer must then carry {@code Sec-WebSocket-Version: 13}. */
        public boolean wrongVersion() {
            return wrongVersion;
        }
    }

    /** The {@code Sec-WebSocket-Accept} value for a valid upgrade request. */
    public static String accept(RequestHead head) throws Refused {
        if (!hasToken(head, "Upgrade", "websocket") || !hasToken(head, "Connection", "upgrade")) {
            throw new Refused("not a WebSocket upgrade: the request needs 'Upgrade: websocket' and 'Connection: Upgrade'",
                    false);
        }
        String version = head.first("Sec-WebSocket-Version").orElse("").trim();
        if (!version.equals(VERSION)) {
            throw new Refused("unsupported WebSocket version '" + version + "': berthd speaks version " + VERSION, true);
        }
        String key = head.first("Sec-WebSocket-Key").orElse("").trim();
        byte[] nonce;
        try {
            nonce = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            nonce = new byte[0];
        }
        if (nonce.length != KEY_BYTES) {
            throw new Refused("invalid Sec-WebSocket-Key '" + printable(key) + "': it must be 16 bytes in base64", false);
        }
        return acceptFor(key);
    }

    /** base64(SHA-1(key + GUID)). */
    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Whether a field, split at commas, lists {@code token} (case-insensitively), in any of its lines. */
    private static boolean hasToken(RequestHead head, String field, String token) {
        return head.fields().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(field))
                .flatMap(e -> e.getValue().stream())
                .flatMap(v -> Arrays.stream(v.split(",")))
                .anyMatch(t -> t.trim().equalsIgnoreCase(token));
    }

    /** A key as shown in a refusal: short and without control characters, whatever the client sent. */
    private static String printable(String key) {
        String shown = key.length() > 64 ? key.substring(0, 64) + "..." : key;
        return shown.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? shown : "(not printable)";
    }
}
