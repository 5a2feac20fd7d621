package io.berth.http.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates (a chain, leaf first) and unencrypted private keys: PKCS#8 (RSA or EC, what OpenSSL 3 writes)
 * and PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}, what OpenSSL 1.1's {@code genrsa} wrote, as in Docker's TLS guide).
 */
public final class PemFiles {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern PKCS1_RSA = Pattern.compile(
            "-----BEGIN RSA PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END RSA PRIVATE KEY-----");
    /** AlgorithmIdentifier { rsaEncryption, NULL }, DER: the part of a PKCS#8 wrapper that names RSA. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles() {
    }

    public static List<Certificate> certificates(Path pem) {
        try {
            byte[] bytes = Files.readAllBytes(pem);
            List<Certificate> chain = List.copyOf(
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes)));
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + pem);
            }
            return chain;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read certificate " + pem + ": " + e.getMessage(), e);
        }
    }

    public static PrivateKey privateKey(Path pem) {
        String text;
        try {
            text = Files.readString(pem);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read key " + pem + ": " + e.getMessage(), e);
        }
        Matcher rsa = PKCS1_RSA.matcher(text);
        if (rsa.find()) {
            return generate(pem, new PKCS8EncodedKeySpec(pkcs8OfRsa(Base64.getMimeDecoder().decode(rsa.group(1)))));
        }
        Matcher m = PKCS8.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(pem + " holds no unencrypted PKCS#8 or PKCS#1 RSA key (-----BEGIN PRIVATE KEY-----);"
                    + " convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        return generate(pem, new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1))));
    }

    private static PrivateKey generate(Path pem, PKCS8EncodedKeySpec spec) {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(pem + " is neither an RSA nor an EC key");
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }: the JDK reads RSA keys only in that wrapper. */
    static byte[] pkcs8OfRsa(byte[] pkcs1) {
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[3 + RSA_ALGORITHM.length + octets.length];
        body[0] = 0x02;
        body[1] = 0x01;
        body[2] = 0x00;
        System.arraycopy(RSA_ALGORITHM, 0, body, 3, RSA_ALGORITHM.length);
        System.arraycopy(octets, 0, body, 3 + RSA_ALGORITHM.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }
}
