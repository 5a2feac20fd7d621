package io.berth.registry.server;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OCI Distribution Specification v1.1 registry, one virtual thread per connection: over our own
 * {@link PlainHttpServer} for plain HTTP, over the JDK's HTTPS server for TLS.
 * Embeddable: {@code try (var server = RegistryServer.start(RegistryConfig.loopback(dir))) { server.port(); }}.
 * <p>
 * The route table below is the whole API surface: each route names the access it needs (checked by the
 * {@link Authorizer} before the handler runs) and one handler method per HTTP method. Handlers throw
 * {@link RegistryException}; {@link ErrorResponses} writes every error.
 */
public final class RegistryServer implements AutoCloseable {
    private static final String NAME = "(?<name>[^?]+?)";
    private static final String DIGEST = "(?<digest>[^/]+)";

    /** One HTTP method of a route: the access it needs and who serves it. */
    private record Endpoint(Function<RegistryRequest, List<Access>> access, Handler handler) {
    }

    private record Route(Pattern pattern, Map<String, Endpoint> methods) {
    }

    private final ExecutorService executor;
    private final List<Route> routes;
    private final Authorizer authorizer;
    private final RegistryConfig config;
    private final RegistryStorage storage;
    /** Exactly one of the two servers is present: {@link #https} when the config has TLS, else {@link #plain}. */
    private final HttpsServer https;
    private final PlainHttpServer plain;

    private RegistryServer(RegistryConfig config) throws IOException {
        this.config = config;
        this.storage = new RegistryStorage(config.root());
        UploadSessions sessions = new UploadSessions(storage);
        TokenHandler tokenHandler = null;
        switch (config.auth()) {
            case RegistryConfig.Auth.None none -> this.authorizer = new Authorizer.Open();
            case RegistryConfig.Auth.Basic basic -> this.authorizer = new Authorizer.Basic(
                    HtpasswdFile.load(basic.htpasswd()), rules(basic.accessFile()), "berth-registry");
            case RegistryConfig.Auth.Token token -> {
                RegistryTokens tokens = new RegistryTokens(token.signingKey() == null ? TokenSigner.generated()
                        : TokenSigner.fromPem(token.signingKey()), token.issuer());
                this.authorizer = new Authorizer.Token(tokens);
                tokenHandler = new TokenHandler(HtpasswdFile.load(token.htpasswd()), rules(token.accessFile()), tokens);
            }
        }
        this.routes = routes(storage, sessions, tokenHandler);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        if (config.tls() != null) {
            this.https = HttpsServer.create(config.address(), io.berth.http.ConnectionAcceptor.BACKLOG);
            https.setHttpsConfigurator(new HttpsConfigurator(
                    io.berth.http.tls.TlsContexts.server(config.tls().certificate(), config.tls().key(), null)));
            https.setExecutor(executor);
            https.createContext("/", exchange -> dispatch(new JdkExchange(exchange)));
            this.plain = null;
        } else {
            this.plain = new PlainHttpServer(config.address(), PlainHttpServer.Limits.DEFAULT, executor, this::dispatch);
            this.https = null;
        }
    }

    private static AccessRules rules(java.nio.file.Path accessFile) {
        return accessFile == null ? AccessRules.allowAll() : AccessRules.load(accessFile);
    }

    private static List<Route> routes(RegistryStorage storage, UploadSessions sessions, TokenHandler tokens) {
        BlobHandler blobs = new BlobHandler(storage);
        UploadHandler uploads = new UploadHandler(storage, sessions);
        ManifestHandler manifests = new ManifestHandler(storage);
        TagsHandler tags = new TagsHandler(storage);
        CatalogHandler catalog = new CatalogHandler(storage);
        ReferrersHandler referrers = new ReferrersHandler(storage);
        Function<RegistryRequest, List<Access>> none = r -> List.of();
        Function<RegistryRequest, List<Access>> pull = r -> List.of(Access.repository(r.name(), Access.PULL));
        Function<RegistryRequest, List<Access>> push =
                r -> List.of(Access.repository(r.name(), Access.PULL, Access.PUSH));
        Function<RegistryRequest, List<Access>> delete = r -> List.of(Access.repository(r.name(), Access.DELETE));
        Handler base = (request, grant) -> request.respondJson(200, Map.of(), Map.of());
        var table = new java.util.ArrayList<Route>(List.of(
                route("/v2/?", Map.of("GET", new Endpoint(none, base), "HEAD", new Endpoint(none, base))),
                route("/v2/_catalog", Map.of("GET", new Endpoint(r -> List.of(Access.catalog()), catalog::list))),
                route("/v2/" + NAME + "/tags/list", Map.of("GET", new Endpoint(pull, tags::list))),
                route("/v2/" + NAME + "/manifests/(?<reference>[^/]+)", Map.of(
                        "GET", new Endpoint(pull, manifests::get),
                        "HEAD", new Endpoint(pull, manifests::get),
                        "PUT", new Endpoint(push, manifests::put),
                        "DELETE", new Endpoint(delete, manifests::delete))),
                route("/v2/" + NAME + "/blobs/uploads/?", Map.of("POST", new Endpoint(push, uploads::start))),
                route("/v2/" + NAME + "/blobs/uploads/(?<uuid>[^/]+)", Map.of(
                        "GET", new Endpoint(push, uploads::status),
                        "PATCH", new Endpoint(push, uploads::patch),
                        "PUT", new Endpoint(push, uploads::finish),
                        "DELETE", new Endpoint(push, uploads::cancel))),
                route("/v2/" + NAME + "/blobs/" + DIGEST, Map.of(
                        "GET", new Endpoint(pull, blobs::get),
                        "HEAD", new Endpoint(pull, blobs::get),
                        "DELETE", new Endpoint(delete, blobs::delete))),
                route("/v2/" + NAME + "/referrers/" + DIGEST, Map.of("GET", new Endpoint(pull, referrers::list)))));
        if (tokens != null) {
            table.add(route("/token", Map.of("GET", new Endpoint(null, tokens::issue))));
        }
        return List.copyOf(table);
    }

    private static Route route(String regex, Map<String, Endpoint> methods) {
        return new Route(Pattern.compile(regex), methods);
    }

    /** Starts serving; the returned server listens until {@link #close()}. */
    public static RegistryServer start(RegistryConfig config) {
        try {
            RegistryServer server = new RegistryServer(config);
            if (server.https != null) {
                server.https.start();
            } else {
                server.plain.start();
            }
            return server;
        } catch (IOException e) {
            throw new SystemFailureException("cannot listen on " + config.address() + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return address().getPort();
    }

    private InetSocketAddress address() {
        return https != null ? https.getAddress() : plain.address();
    }

    /** {@code http://host:port} or {@code https://host:port}. */
    public URI baseUri() {
        String scheme = config.tls() == null ? "http" : "https";
        String host = address().getAddress().isAnyLocalAddress() ? "127.0.0.1" : address().getHostString();
        return URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    public RegistryStorage storage() {
        return storage;
    }

    @Override
    public void close() {
        if (https != null) {
            https.stop(0);
        } else {
            plain.close();
        }
        executor.shutdownNow();
    }

    private void dispatch(Exchange exchange) {
        long started = System.nanoTime();
        String path = exchange.rawPath();
        RegistryRequest request = null;
        try {
            exchange.setResponseHeader("Docker-Distribution-API-Version", "registry/2.0");
            for (Route route : routes) {
                Matcher m = route.pattern().matcher(path);
                if (m.matches()) {
                    request = new RegistryRequest(exchange, m);
                    Endpoint endpoint = route.methods().get(exchange.method());
                    if (endpoint == null) {
                        throw new RegistryException(ErrorCode.UNSUPPORTED,
                                exchange.method() + " is not supported on " + path);
                    }
                    if (request.hasName()) {
                        request.name(); // NAME_INVALID before anything else, even before authentication
                    }
                    Authorizer.Grant grant = endpoint.access() == null ? access -> true
                            : authorizer.authorize(request, endpoint.access().apply(request));
                    endpoint.handler().handle(request, grant);
                    return;
                }
            }
            request = new RegistryRequest(exchange, Pattern.compile("").matcher(""));
            throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "no such endpoint: " + path, Map.of());
        } catch (Throwable failure) {
            fail(exchange, request, failure);
        } finally {
            int status = exchange.status();
            config.accessLog().accept(new RegistryConfig.AccessLogEntry(exchange.method(), path, status,
                    (System.nanoTime() - started) / 1_000_000));
            exchange.close();
        }
    }

    private static void fail(Exchange exchange, RegistryRequest request, Throwable failure) {
        if (exchange.status() != -1) {
            return; // the response had started; closing the exchange cuts it off, which the client notices
        }
        try {
            ErrorResponses.write(request != null ? request
                    : new RegistryRequest(exchange, Pattern.compile("").matcher("")), failure);
        } catch (IOException | RuntimeException ignored) {
            // the client went away
        }
    }
}
