package io.berth.cli.auth;

/**
 * A repository name split as docker normalizes it: the registry host ({@code docker.io} when the
 * first component cannot be a host) and the path within it ({@code library/} added for official
 * Docker Hub images). Tags and digests are dropped.
 */
public record RepositoryName(String domain, String path) {

    public static final String DOCKER_HUB = "docker.io";

    public static RepositoryName parse(String reference) {
        String name = reference;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            name = name.substring(0, colon);
        }
        int slash = name.indexOf('/');
        String domain = DOCKER_HUB;
        String path = name;
        // The first component names a host only if it looks like one: a dot, a port, "localhost",
        // or capitals (which repository paths may not contain).
        if (slash >= 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                domain = first;
                path = name.substring(slash + 1);
            }
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        return new RepositoryName(domain, path);
    }

    public boolean onDockerHub() {
        return domain.equals(DOCKER_HUB);
    }

    /** The short form docker shows and sends in API paths: {@code busybox}, {@code user/app}, {@code host:5000/app}. */
    public String familiar() {
        if (!onDockerHub()) {
            return domain + "/" + path;
        }
        String official = "library/";
        if (path.startsWith(official) && path.indexOf('/', official.length()) < 0) {
            return path.substring(official.length());
        }
        return path;
    }

    /** The fully qualified form, e.g. {@code docker.io/library/busybox}. */
    public String full() {
        return domain + "/" + path;
    }

    /** The key of this registry's credentials in the config file. */
    public String credentialKey() {
        return RegistryAddress.credentialKey(domain);
    }
}
