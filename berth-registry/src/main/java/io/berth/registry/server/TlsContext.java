package io.berth.registry.server;

import io.berth.oci.errors.InvalidArgumentException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;

/** An {@link SSLContext} serving one PEM certificate chain with its PKCS#8 key (RSA or EC). */
final class TlsContext {
    private TlsContext() {
    }

    static SSLContext fromPem(Path certificate, Path key) {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("registry", PemFiles.privateKey(key), password,
                    PemFiles.certificates(certificate).toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidArgumentException("cannot use TLS certificate " + certificate + " and key " + key
                    + ": " + e.getMessage(), e);
        }
    }
}
