package io.berth.registry.client;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ImageConfig;
import io.berth.oci.ImageIndex;
import io.berth.oci.ImageManifest;
import io.berth.oci.Json;
import io.berth.oci.ImageReference;
import io.berth.oci.Platform;
import io.berth.oci.errors.InvalidArgumentException;
import io.berth.oci.errors.NotFoundException;
import io.berth.oci.errors.SystemFailureException;
import io.berth.store.ContentStore;
import io.berth.store.ImageRecord;
import io.berth.store.ImageStore;
import io.berth.store.Lease;
import io.berth.store.SnapshotStore;
import io.berth.store.StoreServices;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The pull/push client of the OCI distribution API, working on berth's store: what the daemon runs for
 * {@code POST /images/create?fromImage=}, {@code POST /images/{name}/push} and {@code POST /auth}.
 * <p>
 * One client per daemon: it holds the HTTP connection pool, the auth tokens, the download/upload slots that
 * bound concurrency across all operations, and the directory of partial downloads
 * ({@code <store root>/downloads}) that lets an interrupted pull resume (see {@link #partials()}). All methods are thread-safe and
 * blocking; call them from virtual threads.
 * <p>
 * Credentials: an explicit {@link Credentials} argument wins (what the Docker CLI sends as X-Registry-Auth);
 * null means "look the registry up in the configured {@link CredentialStore}, else go anonymous".
 */
public final class RegistryClient implements AutoCloseable {
    private static final Duration STALE_PARTIAL = Duration.ofDays(7);

    private final RegistryClientConfig config;
    private final ContentStore content;
    private final ImageStore images;
    private final SnapshotStore snapshots;
    private final Path partials;
    private final CompressedLayerCache compressedLayers;
    private final InsecureRegistries insecure;
    /**
     * The HTTP client and the authenticator over it, made at the first registry call: building an HttpClient loads
     * TLS, the JDK's CA certificates and ~500 classes (about a third of berthd's start before its socket answered),
     * while most daemons seldom reach a registry.
     */
    private volatile Connection connection;
    private boolean closed;
    private final Semaphore downloadSlots;
    private final Semaphore uploadSlots;
    private final ConcurrentHashMap<Digest, ReentrantLock> blobLocks = new ConcurrentHashMap<>();

    public RegistryClient(RegistryClientConfig config, StoreServices store) {
        this.config = config;
        this.content = store.content();
        this.images = store.images();
        this.snapshots = store.snapshots();
        this.partials = store.layout().root().resolve("downloads");
        this.compressedLayers = new CompressedLayerCache(store.layout().root().resolve("compressed-layers"));
        this.insecure = new InsecureRegistries(config.insecureRegistries());
        this.downloadSlots = new Semaphore(config.maxConcurrentDownloads());
        this.uploadSlots = new Semaphore(config.maxConcurrentUploads());
        preparePartials();
    }

    public RegistryClientConfig config() {
        return config;
    }

    /**
     * The directory of partial downloads: kept across restarts so that a pull resumes, emptied by the store's
     * garbage collector when it sweeps while no operation runs.
     */
    public Path partials() {
        return partials;
    }

    /** Pulls the image for the host's platform ({@link Platform#host()}); see the four-argument pull. */
    public PullResult pull(ImageReference ref, Credentials credentials, ProgressListener listener) {
        return pull(ref, credentials, Platform.host(), listener);
    }

    /**
     * Pulls {@code ref} ("name:tag" or "name@digest") into the store: layers already present are skipped,
     * the rest downloaded concurrently and verified; the image is registered with its repo digest and, for a
     * tag reference, tagged. An index resolves to its {@code platform} entry.
     *
     * @throws NotFoundException                                  unknown repository, tag or digest
     * @throws io.berth.oci.errors.FailedPreconditionException    authentication failed or access denied (cause:
     *                                                            {@link RegistryError} with the HTTP status)
     * @throws InvalidArgumentException                           content that does not match its digest, or an
     *                                                            unsupported manifest
     * @throws SystemFailureException                             the registry could not be reached
     */
    public PullResult pull(ImageReference ref, Credentials credentials, Platform platform,
                           ProgressListener listener) {
        RegistrySession session = session(ref, credentials, Set.of("repository:" + ref.path() + ":pull"));
        // The lease holds downloaded blobs and unpacked snapshots until the image record references them.
        try (Lease lease = content.leases().acquire("pull " + ref.familiar())) {
            return new ImagePuller(session, content, images, snapshots, partials, downloadSlots, blobLocks,
                    config.unpackOnPull())
                    .pull(ref, platform, listener);
        }
    }

    /** What {@code GET /distribution/{name}/json} reports: the manifest's descriptor and its platforms. */
    public record DistributionInfo(Descriptor descriptor, List<Platform> platforms) {}

    /**
     * Looks {@code ref} up in its registry without pulling (docker's distribution inspect): the descriptor of
     * the manifest or index the reference names, and the platforms it offers: an index's entries, or a single
     * manifest's platform as its config blob states it.
     */
    public DistributionInfo inspect(ImageReference ref, Credentials credentials) {
        RegistrySession session = session(ref, credentials, Set.of("repository:" + ref.path() + ":pull"));
        String reference = ref.digest() != null ? ref.digest().toString() : ref.tag();
        ManifestDocument top = ManifestGet.fetch(session, ref, reference, ref.digest());
        Descriptor descriptor = Descriptor.of(top.mediaType(), top.digest(), top.bytes().length);
        List<Platform> platforms = new java.util.ArrayList<>();
        if (top.isIndex()) {
            ImageIndex index = Json.read(top.bytes(), ImageIndex.class, "index " + top.digest());
            for (Descriptor d : index.manifests()) {
                if (d.platform() != null && !"unknown".equals(d.platform().os())) platforms.add(d.platform());
            }
        } else {
            ImageManifest manifest = Json.read(top.bytes(), ImageManifest.class, "manifest " + top.digest());
            ImageConfig config = Json.read(smallBlob(session, manifest.config().digest()), ImageConfig.class,
                    "image config " + manifest.config().digest());
            platforms.add(new Platform(config.architecture(), config.os(), null, null, config.variant()));
        }
        return new DistributionInfo(descriptor, List.copyOf(platforms));
    }

    private static byte[] smallBlob(RegistrySession session, Digest digest) {
        try (BlobGet.Response response = session.getBlob(session.resource("blobs", digest.toString()), Map.of())) {
            if (response.status() != 200) {
                throw new SystemFailureException("fetching " + digest + ": HTTP " + response.status());
            }
            byte[] bytes = response.body().readNBytes(ManifestGet.MAX_MANIFEST + 1);
            if (bytes.length > ManifestGet.MAX_MANIFEST || !Digest.sha256(bytes).equals(digest)) {
                throw new InvalidArgumentException("blob " + digest + " does not match its digest");
            }
            return bytes;
        } catch (java.io.IOException e) {
            throw session.unreachable(e);
        }
    }

    /**
     * Pushes the image {@code imageId} as {@code ref} ("name:tag"). Blobs the registry has are skipped, blobs
     * another repository of the same registry has are mounted, the rest uploaded; the manifest goes up with its
     * original bytes, so the digest is the one in the store.
     */
    public PushResult push(ImageReference ref, Digest imageId, Credentials credentials, ProgressListener listener) {
        return push(ref, imageId, credentials, PushCompression.GZIP, listener);
    }

    /**
     * Pushes the image under {@code ref}; layers stored uncompressed go up compressed with {@code compression}
     * (the registry's manifest then differs from the stored one; PushResult and the recorded repo digest are the
     * registry's).
     */
    public PushResult push(ImageReference ref, Digest imageId, Credentials credentials, PushCompression compression,
                           ProgressListener listener) {
        if (ref.digest() != null) {
            throw new InvalidArgumentException("cannot push a digest reference: " + ref.familiar());
        }
        // The lease keeps the image's blobs readable while they upload, even if the image is removed meanwhile:
        // taken first, and every blob of the image looked up under it (a lease holds what it has looked up).
        try (Lease lease = content.leases().acquire("push " + ref.familiar())) {
            ImageRecord image = images.get(imageId).orElseThrow(() -> new NotFoundException("No such image: " + imageId));
            ImageManifest manifest = images.manifest(image.id());
            for (Digest blob : Stream.concat(Stream.of(image.manifestDigest(), manifest.config().digest()),
                    manifest.layers().stream().map(Descriptor::digest)).toList()) {
                if (!content.has(blob)) throw new NotFoundException("No such image: " + imageId + " (blob " + blob + " is missing)");
            }
            Map<Digest, String> mountSources = ImagePusher.mountSources(images, ref);
            Set<String> scopes = new HashSet<>();
            scopes.add("repository:" + ref.path() + ":pull,push");
            mountSources.values().forEach(repo -> scopes.add("repository:" + repo + ":pull"));
            RegistrySession session = session(ref, credentials, scopes);
            PushBlobs blobs = new PushBlobs(content, compression, compressedLayers);
            return new ImagePusher(session, content, images, uploadSlots, config.chunkSize(), blobs)
                    .push(ref, image, mountSources, listener);
        }
    }

    /**
     * Checks credentials against a registry the way {@code docker login} does and returns Docker's status
     * text, "Login Succeeded". Nothing is stored; the caller writes the {@link CredentialStore} if it wants to.
     *
     * @param serverAddress "host[:port]", optionally with scheme and path ("https://index.docker.io/v1/");
     *                      empty or null means Docker Hub
     * @throws io.berth.oci.errors.FailedPreconditionException wrong credentials (cause: {@link RegistryError}
     *                                                         with status 401)
     */
    public String login(String serverAddress, Credentials credentials) {
        String domain = serverAddress == null || serverAddress.isBlank() ? ImageReference.DEFAULT_DOMAIN
                : CredentialStore.normalise(serverAddress);
        RegistryEndpoint endpoint = RegistryEndpoint.of(domain, insecure);
        try {
            connection().authenticator().verify(endpoint, credentials);
        } catch (IOException e) {
            throw new SystemFailureException("cannot talk to registry " + endpoint.base() + ": " + e.getMessage(), e);
        }
        return "Login Succeeded";
    }

    /** Where the registry for {@code domain} is reached (scheme decided by the insecure-registries setting). */
    public RegistryEndpoint endpoint(String domain) {
        return RegistryEndpoint.of(domain, insecure);
    }

    private RegistrySession session(ImageReference ref, Credentials credentials, Set<String> scopes) {
        Credentials effective = credentials;
        if (effective == null && config.credentials() != null) {
            effective = config.credentials().find(ref.domain()).orElse(null);
        }
        Connection c = connection();
        return new RegistrySession(c.http(), c.authenticator(), RegistryEndpoint.of(ref.domain(), insecure), ref.path(),
                effective, scopes, config.userAgent());
    }

    /** Creates the partials directory and drops partial downloads nobody resumed for a week. */
    private void preparePartials() {
        try {
            Files.createDirectories(partials);
            Instant cutoff = Instant.now().minus(STALE_PARTIAL);
            try (Stream<Path> files = Files.list(partials)) {
                for (Path p : files.toList()) {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new SystemFailureException("cannot prepare " + partials + ": " + e.getMessage(), e);
        }
    }

    private record Connection(HttpClient http, RegistryAuthenticator authenticator) {}

    /** Whether the HTTP client was made: only a registry call makes it. */
    boolean connected() {
        return connection != null;
    }

    private Connection connection() {
        Connection c = connection;
        if (c != null) return c;
        synchronized (this) {
            if (closed) throw new IllegalStateException("the registry client is closed");
            if (connection == null) {
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(config.connectTimeout())
                        .build();
                connection = new Connection(http, new RegistryAuthenticator(http, config.userAgent()));
            }
            return connection;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (connection != null) connection.http().close();
    }
}
