package io.berth.registry.client;

import java.time.Duration;
import java.util.List;

/**
 * How the registry client behaves; dockerd's daemon.json has the same knobs.
 *
 * @param insecureRegistries     "host[:port]" names and CIDRs reached over plain HTTP (loopback always is)
 * @param credentials            where stored logins are looked up when a call brings none; null for nowhere
 * @param maxConcurrentDownloads layers downloaded at once per client (dockerd: 3)
 * @param maxConcurrentUploads   layers uploaded at once per client (dockerd: 5)
 * @param chunkSize              blobs up to this size go up in one PUT; bigger ones in PATCH chunks of this size
 * @param userAgent              the User-Agent header
 * @param connectTimeout         TCP/TLS connect timeout
 * @param unpackOnPull           unpack pulled layers into snapshots before the pull returns (as docker does,
 *                               which also checks every layer against its diff ID); false leaves that to the
 *                               first container start
 */
public record RegistryClientConfig(List<String> insecureRegistries, CredentialStore credentials,
                                   int maxConcurrentDownloads, int maxConcurrentUploads, long chunkSize,
                                   String userAgent, Duration connectTimeout, boolean unpackOnPull) {
    public static final long DEFAULT_CHUNK_SIZE = 16L << 20;

    public RegistryClientConfig {
        insecureRegistries = List.copyOf(insecureRegistries);
        if (maxConcurrentDownloads < 1 || maxConcurrentUploads < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive");
        }
    }

    /** Docker's defaults, credentials from {@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}. */
    public static RegistryClientConfig defaults() {
        return new RegistryClientConfig(List.of(), CredentialStore.defaultLocation(), 3, 5, DEFAULT_CHUNK_SIZE,
                "berth/0.1", Duration.ofSeconds(30), true);
    }

    public RegistryClientConfig withInsecureRegistries(List<String> entries) {
        return new RegistryClientConfig(entries, credentials, maxConcurrentDownloads, maxConcurrentUploads,
                chunkSize, userAgent, connectTimeout, unpackOnPull);
    }

    public RegistryClientConfig withCredentials(CredentialStore store) {
        return new RegistryClientConfig(insecureRegistries, store, maxConcurrentDownloads, maxConcurrentUploads,
                chunkSize, userAgent, connectTimeout, unpackOnPull);
    }

    public RegistryClientConfig withConcurrency(int downloads, int uploads) {
        return new RegistryClientConfig(insecureRegistries, credentials, downloads, uploads, chunkSize, userAgent,
                connectTimeout, unpackOnPull);
    }

    public RegistryClientConfig withChunkSize(long bytes) {
        return new RegistryClientConfig(insecureRegistries, credentials, maxConcurrentDownloads,
                maxConcurrentUploads, bytes, userAgent, connectTimeout, unpackOnPull);
    }

    public RegistryClientConfig withUserAgent(String agent) {
        return new RegistryClientConfig(insecureRegistries, credentials, maxConcurrentDownloads,
                maxConcurrentUploads, chunkSize, agent, connectTimeout, unpackOnPull);
    }

    public RegistryClientConfig withUnpackOnPull(boolean unpack) {
        return new RegistryClientConfig(insecureRegistries, credentials, maxConcurrentDownloads,
                maxConcurrentUploads, chunkSize, userAgent, connectTimeout, unpack);
    }
}
