package io.berth.registry.client;

import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one way requests reach a repository of a registry: adds the User-Agent and authorization, repeats a
 * request once after a 401 challenge, follows blob redirects. Every pull and push operation class sends through
 * a session; a session is bound to one repository, one set of credentials and the scopes the operation needs
 * ({@code repository:<path>:pull[,push]}).
 */
final class RegistrySession {
    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final RegistryAuthenticator authenticator;
    private final RegistryEndpoint endpoint;
    private final String repository;
    private final Credentials credentials;
    private final Set<String> scopes;
    private final String userAgent;

    RegistrySession(HttpClient http, RegistryAuthenticator authenticator, RegistryEndpoint endpoint,
                    String repository, Credentials credentials, Set<String> scopes, String userAgent) {
        this.http = http;
        this.authenticator = authenticator;
        this.endpoint = endpoint;
        this.repository = repository;
        this.credentials = credentials;
        this.scopes = Set.copyOf(scopes);
        this.userAgent = userAgent;
    }

    RegistryEndpoint endpoint() {
        return endpoint;
    }

    String repository() {
        return repository;
    }

    /** {@code /v2/<repository>/<kind>/<reference>} on this session's registry. */
    URI resource(String kind, String reference) {
        return endpoint.resource(repository, kind, reference);
    }

    /** Like {@link #exchange} but a network failure becomes a {@link SystemFailureException}. */
    HttpResponse<InputStream> send(HttpRequest.Builder request) {
        try {
            return exchange(request);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    SystemFailureException unreachable(IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new SystemFailureException("cannot talk to registry " + endpoint.base() + ": " + detail, e);
    }

    /**
     * Sends the request with authorization; after a 401 that names a usable challenge, sends it once more.
     * The request's body publisher must be repeatable. The caller reads or closes the response body.
     */
    HttpResponse<InputStream> exchange(HttpRequest.Builder request) throws IOException {
        Optional<String> authorization = authenticator.authorization(endpoint, credentials, scopes);
        HttpResponse<InputStream> response = sendOnce(request.copy(), authorization.orElse(null));
        if (response.statusCode() != 401) {
            return response;
        }
        boolean retry = authenticator.challenged(endpoint, response.headers().allValues("WWW-Authenticate"),
                credentials, scopes, authorization.isPresent());
        if (!retry) {
            return response;
        }
        response.body().close();
        return sendOnce(request.copy(), authenticator.authorization(endpoint, credentials, scopes).orElse(null));
    }

    /**
     * GETs a blob through {@link BlobGet}, following redirects (registries send blobs from object storage) and
     * answering one 401 challenge as {@link #exchange} does. Authorization goes only to the registry itself,
     * never to the host a redirect points at: a signed storage URL needs none and must not receive the user's
     * token. The caller reads or closes the body.
     */
    BlobGet.Response getBlob(URI uri, Map<String, String> headers) throws IOException {
        BlobGet.Response response = getAuthorized(uri, headers);
        for (int hop = 0; hop < MAX_REDIRECTS && isRedirect(response.status()); hop++) {
            response.close();
            String location = response.head().first("Location")
                    .orElseThrow(() -> new IOException("redirect without a Location header from " + uri));
            URI next = response.uri().resolve(location);
            response = sameAuthority(next) ? getAuthorized(next, headers) : getBlobOnce(next, headers, null);
        }
        if (isRedirect(response.status())) {
            response.close();
            throw new IOException("too many redirects fetching " + uri);
        }
        return response;
    }

    private BlobGet.Response getAuthorized(URI uri, Map<String, String> headers) throws IOException {
        Optional<String> authorization = authenticator.authorization(endpoint, credentials, scopes);
        BlobGet.Response response = getBlobOnce(uri, headers, authorization.orElse(null));
        if (response.status() != 401 || !authenticator.challenged(endpoint, response.head().all("WWW-Authenticate"),
                credentials, scopes, authorization.isPresent())) {
            return response;
        }
        response.close();
        return getBlobOnce(uri, headers, authenticator.authorization(endpoint, credentials, scopes).orElse(null));
    }

    private BlobGet.Response getBlobOnce(URI uri, Map<String, String> headers, String authorization)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("User-Agent", userAgent);
        if (authorization != null) {
            all.put("Authorization", authorization);
        }
        return BlobGet.send(uri, all, http.connectTimeout().orElse(DEFAULT_CONNECT_TIMEOUT), http.sslContext());
    }

    private boolean sameAuthority(URI uri) {
        return endpoint.base().getScheme().equalsIgnoreCase(uri.getScheme())
                && endpoint.base().getAuthority().equalsIgnoreCase(uri.getAuthority());
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private HttpResponse<InputStream> sendOnce(HttpRequest.Builder request, String authorization) throws IOException {
        request.setHeader("User-Agent", userAgent);
        if (authorization != null) {
            request.setHeader("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Reads the error body of a failed response (bounded) and closes it. */
    static RegistryError errorOf(HttpResponse<InputStream> response) {
        return errorOf(response.statusCode(), response.body());
    }

    /** Reads the error body of a failed blob response (bounded) and closes it. */
    static RegistryError errorOf(BlobGet.Response response) {
        return errorOf(response.status(), response.body());
    }

    private static RegistryError errorOf(int status, InputStream body) {
        byte[] bytes;
        try (body) {
            bytes = body.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            bytes = new byte[0];
        }
        return RegistryError.parse(status, bytes);
    }

    /** Reads at most {@code limit} bytes of the body and closes it; longer bodies are an error. */
    static byte[] readLimited(HttpResponse<InputStream> response, int limit) throws IOException {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new IOException("response body from " + response.request().uri() + " exceeds " + limit
                        + " bytes");
            }
            return bytes;
        }
    }

    static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing only releases the connection; nothing was expected from the body
        }
    }
}
