package io.berth.cli.auth;

/**
 * How docker names a registry in the config file: Docker Hub by its legacy index URL, every other
 * registry by {@code host[:port]}, whatever scheme or path the user typed.
 */
public final class RegistryAddress {

    public static final String INDEX_SERVER = "https://index.docker.io/v1/";

    private RegistryAddress() {}

    /** The server {@code login}/{@code logout} act on: Docker Hub when none (or "docker.io") is given. */
    public static String serverOf(String argument) {
        return argument == null || argument.isEmpty() || argument.equals(RepositoryName.DOCKER_HUB) ? INDEX_SERVER : argument;
    }

    /** The config-file key for a server address or registry host. */
    public static String credentialKey(String server) {
        if (server.equals(INDEX_SERVER) || server.equals(RepositoryName.DOCKER_HUB) || server.equals("index.docker.io")) {
            return INDEX_SERVER;
        }
        return hostname(server);
    }

    /** Strips a scheme and any path: {@code https://host:5000/v2/} becomes {@code host:5000}. */
    public static String hostname(String server) {
        String s = server;
        if (s.startsWith("http://")) {
            s = s.substring("http://".length());
        } else if (s.startsWith("https://")) {
            s = s.substring("https://".length());
        }
        int slash = s.indexOf('/');
        return slash >= 0 ? s.substring(0, slash) : s;
    }
}
