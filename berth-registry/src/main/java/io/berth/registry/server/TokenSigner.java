package io.berth.registry.server;

import io.berth.http.tls.PemFiles;
import io.berth.oci.errors.InvalidArgumentException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;

/**
 * How the built-in token endpoint signs its JWTs and the registry checks them. The registry is its own token
 * issuer, so a secret only it knows is enough: HS256 with a random key made at start (tokens die with the
 * process, which suits their 5-minute life). With {@code --token-key} an RSA key signs RS256 instead, so tokens
 * survive restarts and others can verify them with the public key.
 */
sealed interface TokenSigner {
    String algorithm();

    byte[] sign(byte[] input);

    boolean verify(byte[] input, byte[] signature);

    static TokenSigner generated() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new Hs256(secret);
    }

    static TokenSigner fromPem(Path key) {
        PrivateKey privateKey = PemFiles.privateKey(key);
        if (!(privateKey instanceof RSAPrivateCrtKey rsa)) {
            throw new InvalidArgumentException("--token-key must be an RSA key (RS256); " + key + " is "
                    + privateKey.getAlgorithm());
        }
        try {
            PublicKey publicKey = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            return new Rs256(privateKey, publicKey);
        } catch (GeneralSecurityException e) {
            throw new InvalidArgumentException("cannot use token key " + key + ": " + e.getMessage(), e);
        }
    }

    record Hs256(byte[] secret) implements TokenSigner {
        @Override
        public String algorithm() {
            return "HS256";
        }

        @Override
        public byte[] sign(byte[] input) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                return mac.doFinal(input);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("JDK lacks HmacSHA256", e);
            }
        }

        @Override
        public boolean verify(byte[] input, byte[] signature) {
            return MessageDigest.isEqual(sign(input), signature);
        }
    }

    record Rs256(PrivateKey privateKey, PublicKey publicKey) implements TokenSigner {
        @Override
        public String algorithm() {
            return "RS256";
        }

        @Override
        public byte[] sign(byte[] input) {
            try {
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initSign(privateKey);
                s.update(input);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign token: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean verify(byte[] input, byte[] signature) {
            try {
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initVerify(publicKey);
                s.update(input);
                return s.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }
}
