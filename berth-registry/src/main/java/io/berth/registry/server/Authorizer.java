package io.berth.registry.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides whether a request may do what its route needs. Three modes: open (no auth, meant for loopback),
 * HTTP Basic against an htpasswd file, and Docker bearer tokens issued by the built-in token endpoint.
 * A failure is a {@link RegistryException} carrying the {@code WWW-Authenticate} challenge the client needs.
 */
sealed interface Authorizer {
    /** Checks the request may do everything in {@code required}; returns what the caller may do otherwise. */
    Grant authorize(RegistryRequest request, List<Access> required);

    /** What an authorised caller may do, for checks a handler makes on its own (the source of a mount). */
    @FunctionalInterface
    interface Grant {
        boolean permits(Access access);
    }

    record Open() implements Authorizer {
        @Override
        public Grant authorize(RegistryRequest request, List<Access> required) {
            return access -> true;
        }
    }

    record Basic(HtpasswdFile users, AccessRules rules, String realm) implements Authorizer {
        @Override
        public Grant authorize(RegistryRequest request, List<Access> required) {
            Map<String, String> challenge = Map.of("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
            String user = BasicCredentials.user(request, users);
            if (user == null) {
                throw new RegistryException(ErrorCode.UNAUTHORIZED, 401, "authentication required", challenge);
            }
            Grant grant = access -> rules.allowed(user, access).containsAll(access.actions());
            for (Access access : required) {
                if (!grant.permits(access)) {
                    throw new RegistryException(ErrorCode.DENIED, user + " may not " + access.scope());
                }
            }
            return grant;
        }
    }

    record Token(RegistryTokens tokens) implements Authorizer {
        @Override
        public Grant authorize(RegistryRequest request, List<Access> required) {
            String header = request.header("Authorization");
            List<Access> granted = null;
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                granted = tokens.verify(header.substring(7).trim(), tokens.issuer(), Instant.now());
            }
            if (granted == null) {
                throw new RegistryException(ErrorCode.UNAUTHORIZED, 401, "authentication required",
                        Map.of("WWW-Authenticate", challenge(request, required, null)));
            }
            List<Access> grants = granted;
            Grant grant = access -> grants.stream().anyMatch(g -> g.type().equals(access.type())
                    && g.name().equals(access.name())
                    && (g.actions().containsAll(access.actions()) || g.actions().contains("*")));
            for (Access access : required) {
                if (!grant.permits(access)) {
                    throw new RegistryException(ErrorCode.UNAUTHORIZED, 401, "token does not grant " + access.scope(),
                            Map.of("WWW-Authenticate", challenge(request, required, "insufficient_scope")));
                }
            }
            return grant;
        }

        private String challenge(RegistryRequest request, List<Access> required, String error) {
            String realm = (request.secure() ? "https" : "http") + "://" + request.host() + "/token";
            StringBuilder value = new StringBuilder("Bearer realm=\"" + realm + "\",service=\"" + tokens.issuer() + "\"");
            if (!required.isEmpty()) {
                value.append(",scope=\"")
                        .append(required.stream().map(Access::scope).collect(Collectors.joining(" ")))
                        .append('"');
            }
            if (error != null) {
                value.append(",error=\"").append(error).append('"');
            }
            return value.toString();
        }
    }

    /** HTTP Basic credentials of a request. */
    final class BasicCredentials {
        private BasicCredentials() {
        }

        /** The authenticated user, or null when the request has no or wrong credentials. */
        static String user(RegistryRequest request, HtpasswdFile users) {
            String header = request.header("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            String user = decoded.substring(0, colon);
            return users.verify(user, decoded.substring(colon + 1)) ? user : null;
        }

        static boolean present(RegistryRequest request) {
            String header = request.header("Authorization");
            return header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        }
    }
}
