package io.berth.registry.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to run a registry: where it stores, where it listens, how it authenticates, whether it speaks TLS, and
 * who hears about each request (the CLI prints an access log; tests count requests).
 */
public record RegistryConfig(Path root, InetSocketAddress address, Auth auth, Tls tls,
                             Consumer<AccessLogEntry> accessLog) {

    /** Authentication modes. */
    public sealed interface Auth {
        /** No authentication: for loopback and tests. */
        record None() implements Auth {
        }

        /** HTTP Basic against an htpasswd (bcrypt) file; {@code accessFile} may be null (everyone may do all). */
        record Basic(Path htpasswd, Path accessFile) implements Auth {
        }

        /**
         * Docker bearer tokens from the built-in {@code /token} endpoint, which checks credentials against the
         * htpasswd file. {@code issuer} is also the token service name; {@code signingKey} (RSA, PKCS#8 PEM) may
         * be null for HS256 with a key generated at start.
         */
        record Token(Path htpasswd, Path accessFile, String issuer, Path signingKey) implements Auth {
        }
    }

    /** A PEM certificate chain and its PKCS#8 private key. */
    public record Tls(Path certificate, Path key) {
    }

    /** One served request. */
    public record AccessLogEntry(String method, String path, int status, long millis) {
    }

    public RegistryConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(address, "address");
        auth = auth == null ? new Auth.None() : auth;
        accessLog = accessLog == null ? entry -> { } : accessLog;
    }

    /** An open, plain-HTTP registry on an ephemeral loopback port. */
    public static RegistryConfig loopback(Path root) {
        return new RegistryConfig(root, new InetSocketAddress("127.0.0.1", 0), new Auth.None(), null, null);
    }

    public RegistryConfig withAuth(Auth newAuth) {
        return new RegistryConfig(root, address, newAuth, tls, accessLog);
    }

    public RegistryConfig withTls(Tls newTls) {
        return new RegistryConfig(root, address, auth, newTls, accessLog);
    }

    public RegistryConfig withAccessLog(Consumer<AccessLogEntry> newAccessLog) {
        return new RegistryConfig(root, address, auth, tls, newAccessLog);
    }
}
