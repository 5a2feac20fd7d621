package io.berth.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.oci.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Answers registry auth challenges, shared by all pulls and pushes of one client.
 * <p>
 * The first request to a registry goes out without credentials; a 401 names the scheme. For Basic the
 * credentials go on every later request. For Bearer a token is fetched from the challenge's realm (sending the
 * credentials as Basic, or anonymously), cached per registry, account and scope set until it expires, and
 * sent as {@code Authorization: Bearer}. The remembered challenge lets later requests authenticate up front.
 */
final class RegistryAuthenticator {
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;

    private record TokenKey(String domain, String account, String scopes) {
    }

    private record Token(String value, Instant expires) {
    }

    private final HttpClient http;
    private final String userAgent;
    private final Map<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
    private final Map<TokenKey, Token> tokens = new ConcurrentHashMap<>();
    private final Map<TokenKey, ReentrantLock> fetchLocks = new ConcurrentHashMap<>();

    RegistryAuthenticator(HttpClient http, String userAgent) {
        this.http = http;
        this.userAgent = userAgent;
    }

    /** The Authorization header value for a request, if the registry is known to want one. */
    Optional<String> authorization(RegistryEndpoint endpoint, Credentials credentials, Set<String> scopes)
            throws IOException {
        return switch (challenges.get(endpoint.domain())) {
            case null -> Optional.empty();
            case AuthChallenge.Basic basic ->
                    credentials == null ? Optional.empty() : Optional.of("Basic " + credentials.basicToken());
            case AuthChallenge.Bearer bearer -> Optional.of("Bearer " + token(endpoint, bearer, credentials, scopes));
        };
    }

    /**
     * Takes note of a 401's challenge. Returns true when repeating the request may now succeed: Basic when
     * there are credentials not yet sent, Bearer always once (a fresh token, possibly for a wider scope).
     */
    boolean challenged(RegistryEndpoint endpoint, List<String> wwwAuthenticate, Credentials credentials,
                       Set<String> scopes, boolean sentAuthorization) {
        Optional<AuthChallenge> parsed = AuthChallenge.parse(wwwAuthenticate);
        if (parsed.isEmpty()) {
            return false;
        }
        challenges.put(endpoint.domain(), parsed.get());
        return switch (parsed.get()) {
            case AuthChallenge.Basic basic -> credentials != null && !sentAuthorization;
            case AuthChallenge.Bearer bearer -> {
                // Only a token that was sent and refused is stale. A request that went out anonymously while
                // another one fetched the token must reuse that token, not fetch a second one.
                if (sentAuthorization) tokens.remove(tokenKey(endpoint, bearer, credentials, scopes));
                yield true;
            }
        };
    }

    /**
     * Checks credentials the way {@code docker login} does: ping {@code /v2/}, answer its challenge with the
     * credentials (for Bearer, a token without scope), and expect success.
     */
    void verify(RegistryEndpoint endpoint, Credentials credentials) throws IOException {
        URI ping = endpoint.resolve("/v2/");
        HttpResponse<InputStream> first = send(HttpRequest.newBuilder(ping).GET(), null);
        if (first.statusCode() == 200) {
            first.body().close();
            return;
        }
        if (first.statusCode() != 401) {
            throw RegistrySession.errorOf(first).toException("login attempt to " + ping + " failed");
        }
        first.body().close();
        AuthChallenge challenge = AuthChallenge.parse(first.headers().allValues("WWW-Authenticate")).orElseThrow(
                () -> new RegistryError(401, null, "login attempt to " + ping
                        + " failed: the registry asked for an unknown authentication scheme")
                        .toException(null));
        challenges.put(endpoint.domain(), challenge);
        String authorization = switch (challenge) {
            case AuthChallenge.Basic basic -> "Basic " + credentials.basicToken();
            case AuthChallenge.Bearer bearer -> "Bearer " + token(endpoint, bearer, credentials, Set.of());
        };
        HttpResponse<InputStream> second = send(HttpRequest.newBuilder(ping).GET(), authorization);
        if (second.statusCode() != 200) {
            RegistryError error = RegistrySession.errorOf(second);
            String message = "login attempt to " + ping + " failed with status: " + second.statusCode()
                    + (second.statusCode() == 401 ? " Unauthorized" : "") + " (" + error.getMessage() + ")";
            throw new RegistryError(second.statusCode(), error.code(), message).toException(null);
        }
        second.body().close();
    }

    private String token(RegistryEndpoint endpoint, AuthChallenge.Bearer bearer, Credentials credentials,
                         Set<String> scopes) throws IOException {
        TokenKey key = tokenKey(endpoint, bearer, credentials, scopes);
        Token cached = tokens.get(key);
        if (cached != null && cached.expires().isAfter(Instant.now())) {
            return cached.value();
        }
        // Layers are pushed and pulled concurrently; the first 401s arrive together and one token serves all.
        ReentrantLock lock = fetchLocks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            cached = tokens.get(key);
            if (cached != null && cached.expires().isAfter(Instant.now())) {
                return cached.value();
            }
            Token fresh = fetchToken(endpoint, bearer, credentials, key.scopes());
            tokens.put(key, fresh);
            return fresh.value();
        } finally {
            lock.unlock();
        }
    }

    /** True when {@code scope} ("repository:name:actions") asks for nothing beyond what {@code held} grants. */
    static boolean covered(String scope, Set<String> held) {
        int last = scope.lastIndexOf(':');
        if (last < 0) {
            return held.contains(scope);
        }
        String resource = scope.substring(0, last);
        Set<String> wanted = Set.of(scope.substring(last + 1).split(","));
        return held.stream().anyMatch(h -> {
            int i = h.lastIndexOf(':');
            return i > 0 && h.substring(0, i).equals(resource)
                    && Set.of(h.substring(i + 1).split(",")).containsAll(wanted);
        });
    }

    private static TokenKey tokenKey(RegistryEndpoint endpoint, AuthChallenge.Bearer bearer, Credentials credentials,
                                     Set<String> scopes) {
        TreeSet<String> all = new TreeSet<>(scopes);
        if (bearer.scope() != null && !bearer.scope().isBlank()) {
            // The registry names the scope this one request needed; ask for it only if ours do not cover it.
            Arrays.stream(bearer.scope().trim().split("\\s+")).filter(s -> !covered(s, scopes)).forEach(all::add);
        }
        return new TokenKey(endpoint.domain(), credentials == null ? "" : credentials.username(),
                String.join(" ", all));
    }

    private Token fetchToken(RegistryEndpoint endpoint, AuthChallenge.Bearer bearer, Credentials credentials,
                             String scopes) throws IOException {
        StringBuilder query = new StringBuilder();
        if (bearer.service() != null) {
            query.append("&service=").append(encode(bearer.service()));
        }
        for (String scope : scopes.isEmpty() ? new String[0] : scopes.split(" ")) {
            query.append("&scope=").append(encode(scope));
        }
        if (credentials != null) {
            query.append("&account=").append(encode(credentials.username()));
        }
        String realm = bearer.realm();
        String uri = query.isEmpty() ? realm
                : realm + (realm.contains("?") ? "&" : "?") + query.substring(1);
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(endpoint.base().resolve(uri)).GET(),
                credentials == null ? null : "Basic " + credentials.basicToken());
        if (response.statusCode() != 200) {
            RegistryError error = RegistrySession.errorOf(response);
            if (response.statusCode() == 401 && credentials != null && error.code() == null) {
                error = new RegistryError(401, "UNAUTHORIZED", "unauthorized: incorrect username or password");
            }
            throw error.toException(null);
        }
        byte[] body = RegistrySession.readLimited(response, MAX_TOKEN_RESPONSE);
        JsonNode json = Json.mapper().readTree(body);
        String token = json.path("token").asText("");
        if (token.isEmpty()) {
            token = json.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw new RegistryError(502, null, "token server " + realm + " answered without a token").toException(null);
        }
        long seconds = json.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds());
        Duration lifetime = Duration.ofSeconds(Math.max(seconds, DEFAULT_TOKEN_LIFETIME.toSeconds()));
        return new Token(token, Instant.now().plus(lifetime).minus(EXPIRY_MARGIN));
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder request, String authorization) throws IOException {
        request.header("User-Agent", userAgent);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
