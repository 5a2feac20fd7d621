package io.berth.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials for one registry as the Engine API takes them: the body of {@code POST /auth} and,
 * base64url-encoded, the {@code X-Registry-Auth} header of pull and push. Empty fields are left
 * out, as docker's JSON encoding omits them, so "no credentials" is the header {@code e30=} ({}).
 */
public record RegistryAuth(String username, String password, String serverAddress, String identityToken) {

    public static final RegistryAuth NONE = new RegistryAuth(null, null, null, null);

    public RegistryAuth(String username, String password, String serverAddress) {
        this(username, password, serverAddress, null);
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        putIfSet(node, "username", username);
        putIfSet(node, "password", password);
        putIfSet(node, "serveraddress", serverAddress);
        putIfSet(node, "identitytoken", identityToken);
        return node;
    }

    /** The X-Registry-Auth header value: URL-safe base64 of the JSON, padded as Go's URLEncoding pads. */
    public String header() {
        return Base64.getUrlEncoder().encodeToString(JsonTree.write(toJson()).getBytes(StandardCharsets.UTF_8));
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}
