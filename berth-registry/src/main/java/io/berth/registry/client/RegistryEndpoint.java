package io.berth.registry.client;

import io.berth.oci.ImageReference;

import java.net.URI;

/**
 * Where a registry domain is reached: {@code docker.io} is served from {@code registry-1.docker.io}; insecure
 * registries over http, all others over https.
 *
 * @param domain the domain as written in image references ("localhost:5000", "docker.io")
 * @param base   scheme and authority, e.g. {@code https://registry-1.docker.io}
 */
public record RegistryEndpoint(String domain, URI base) {
    static final String DOCKER_HUB_HOST = "registry-1.docker.io";

    public static RegistryEndpoint of(String domain, InsecureRegistries insecure) {
        String host = domain.equals(ImageReference.DEFAULT_DOMAIN) ? DOCKER_HUB_HOST : domain;
        String scheme = insecure.isInsecure(host) ? "http" : "https";
        return new RegistryEndpoint(domain, URI.create(scheme + "://" + host));
    }

    /** An absolute URI for {@code pathAndQuery} ("/v2/..."), or for a Location header (relative or absolute). */
    public URI resolve(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    /** The {@code /v2/<repository>/<kind>/<reference>} URI of a blob or manifest. */
    public URI resource(String repository, String kind, String reference) {
        return resolve("/v2/" + repository + "/" + kind + "/" + reference);
    }
}
