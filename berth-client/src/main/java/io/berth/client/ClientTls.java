package io.berth.client;

import io.berth.http.tls.TlsContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * TLS to a daemon's TCP port, decided as the docker CLI decides it from {@code --tls --tlsverify --tlscacert --tlscert
 * --tlskey} and {@code DOCKER_TLS}, {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}.
 *
 * @param ca the CA the daemon's certificate must chain to, its name checked too; null with {@code --tls} alone
 *           (encrypted, the daemon not authenticated)
 * @param certificate the client's certificate, null for none
 * @param key the client's key, null for none
 */
public record ClientTls(Path ca, Path certificate, Path key) {
    private static final Map<ClientTls, SSLContext> CONTEXTS = new ConcurrentHashMap<>();

    public boolean verifiesServer() {
        return ca != null;
    }

    /**
     * One context per settings for the process: its PEM files are read once, and the connections of one command
     * resume the first one's TLS session.
     */
    SSLContext context() {
        return CONTEXTS.computeIfAbsent(this, t -> TlsContexts.client(t.ca, t.certificate, t.key));
    }

    /**
     * The docker CLI's rules: {@code --tlsverify} (or a non-empty {@code DOCKER_TLS_VERIFY}) implies TLS and checks the
     * daemon against the CA; {@code --tls} (or {@code DOCKER_TLS}) alone encrypts without checking. Files default to
     * {@code $DOCKER_CERT_PATH} or {@code ~/.docker}; a default client certificate or key that does not exist is left
     * out, one named by a flag must exist. Null when TLS is off.
     *
     * @param tls {@code --tls}, null when not given
     * @param verify {@code --tlsverify}, null when not given
     */
    public static ClientTls resolve(Boolean tls, Boolean verify, Path ca, Path certificate, Path key, Map<String, String> env) {
        boolean verifies = verify != null ? verify : !env.getOrDefault("DOCKER_TLS_VERIFY", "").isEmpty();
        boolean on = verify != null || verifies || (tls != null ? tls : !env.getOrDefault("DOCKER_TLS", "").isEmpty());
        if (!on) {
            return null;
        }
        Path dir = certDirectory(env);
        Path cert = certificate != null ? certificate : existing(dir.resolve("cert.pem"));
        Path k = key != null ? key : existing(dir.resolve("key.pem"));
        return new ClientTls(verifies ? (ca != null ? ca : dir.resolve("ca.pem")) : null, cert, k);
    }

    private static Path certDirectory(Map<String, String> env) {
        String path = env.get("DOCKER_CERT_PATH");
        if (path != null && !path.isEmpty()) {
            return Path.of(path);
        }
        String config = env.get("DOCKER_CONFIG");
        if (config != null && !config.isEmpty()) {
            return Path.of(config);
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker");
    }

    private static Path existing(Path file) {
        return Files.exists(file) ? file : null;
    }
}
