package io.berth.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Docker registry tokens: JWTs whose {@code access} claim lists the granted scopes, issued by the token
 * endpoint and checked on every registry request ({@code iss} = issuer, {@code aud} = service, unexpired).
 */
final class RegistryTokens {
    static final Duration LIFETIME = Duration.ofMinutes(5);

    private final TokenSigner signer;
    private final String issuer;

    RegistryTokens(TokenSigner signer, String issuer) {
        this.signer = signer;
        this.issuer = issuer;
    }

    String issuer() {
        return issuer;
    }

    /** A token for {@code subject} granting exactly {@code access}. */
    String issue(String subject, String service, List<Access> access, Instant now) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", signer.algorithm());
        header.put("typ", "JWT");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", service);
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        claims.put("nbf", now.getEpochSecond() - 5);
        claims.put("iat", now.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        List<Map<String, Object>> grants = new ArrayList<>();
        for (Access a : access) {
            grants.add(Map.of("type", a.type(), "name", a.name(), "actions", a.actions().stream().sorted().toList()));
        }
        claims.put("access", grants);
        String signingInput = encode(Json.canonicalBytes(header)) + "." + encode(Json.canonicalBytes(claims));
        return signingInput + "." + encode(signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The grants of a valid token for {@code service}; null when the token is forged, expired or foreign. */
    List<Access> verify(String token, String service, Instant now) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = Json.mapper().readTree(decode(parts[0]));
            if (!signer.algorithm().equals(header.path("alg").asText())) {
                return null; // never let the token choose the algorithm ("none", or HS256 keyed by a public key)
            }
            byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            if (!signer.verify(input, decode(parts[2]))) {
                return null;
            }
            JsonNode claims = Json.mapper().readTree(decode(parts[1]));
            long seconds = now.getEpochSecond();
            if (!issuer.equals(claims.path("iss").asText()) || !service.equals(claims.path("aud").asText())
                    || claims.path("exp").asLong(0) < seconds || claims.path("nbf").asLong(0) > seconds) {
                return null;
            }
            List<Access> grants = new ArrayList<>();
            for (JsonNode grant : claims.path("access")) {
                Set<String> actions = new LinkedHashSet<>();
                grant.path("actions").forEach(a -> actions.add(a.asText()));
                grants.add(new Access(grant.path("type").asText(), grant.path("name").asText(), actions));
            }
            return grants;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] decode(String text) {
        return Base64.getUrlDecoder().decode(text);
    }
}
