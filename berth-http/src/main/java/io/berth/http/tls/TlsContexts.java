package io.berth.http.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * {@link SSLContext}s from PEM files, as Docker's daemon and CLI take them ({@code --tlscacert --tlscert --tlskey}).
 * A CA given is the only one trusted (Go's {@code ExclusiveRootPools}): a daemon that verifies clients accepts
 * certificates signed by that CA and nothing the system trusts.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** A server's context: its certificate chain and key, and the CA its clients' certificates must chain to (or null). */
    public static SSLContext server(Path certificate, Path key, Path clientCa) {
        return context(keyManagers(certificate, key), clientCa == null ? null : trustManagers(clientCa));
    }

    /**
     * A client's context: its certificate and key (both null for none), and the CA the server's certificate must chain
     * to; {@code ca} null trusts any server certificate (Docker's {@code --tls} without {@code --tlsverify}).
     */
    public static SSLContext client(Path ca, Path certificate, Path key) {
        KeyManager[] keys = certificate == null || key == null ? null : keyManagers(certificate, key);
        return context(keys, ca == null ? new TrustManager[] {new AnyServer()} : trustManagers(ca));
    }

    private static SSLContext context(KeyManager[] keys, TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has TLS", e);
        }
    }

    private static KeyManager[] keyManagers(Path certificate, Path key) {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            PrivateKey privateKey = PemFiles.privateKey(key);
            List<Certificate> chain = PemFiles.certificates(certificate);
            if (!matches(privateKey, chain.getFirst().getPublicKey())) {
                // else the mistake shows only at the first handshake, as a bad signature on the client's side
                throw new IllegalArgumentException("private key " + key + " does not match the public key of certificate " + certificate);
            }
            store.setKeyEntry("key", privateKey, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return kmf.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use TLS certificate " + certificate + " and key " + key
                    + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} signs what {@code publicKey} verifies (RSA or EC): Go's "private key does not match public key". */
    private static boolean matches(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
        if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) return false;
        byte[] probe = "berth key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private static TrustManager[] trustManagers(Path ca) {
        List<Certificate> certificates = PemFiles.certificates(ca);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca" + i, certificates.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use CA certificate " + ca + ": " + e.getMessage(), e);
        }
    }

    /** Accepts any server certificate: the connection is encrypted, the server unauthenticated (the user asked). */
    private static final class AnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client's trust manager");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // --tls without --tlsverify: encryption only, as docker's InsecureSkipVerify
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
