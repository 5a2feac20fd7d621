package io.berth.registry.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password (or personal access token) for one registry.
 *
 * @param username the account name
 * @param password the password or token
 */
public record Credentials(String username, String password) {
    public Credentials {
        if (username == null || username.isEmpty() || password == null) {
            throw new IllegalArgumentException("credentials need a username and a password");
        }
    }

    /** The value of an {@code Authorization: Basic ...} header, also the {@code auth} field of config.json. */
    public String basicToken() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The inverse of {@link #basicToken()}; null when {@code token} is not base64 "user:password". */
    static Credentials fromBasicToken(String token) {
        try {
            String decoded = new String(Base64.getDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? null : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=***]";
    }
}
