package io.berth.daemon.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CA, a server certificate for 127.0.0.1/localhost and a client certificate signed by it, made with the openssl
 * CLI as Docker's guide to protecting the daemon socket makes them; plus a client certificate from another CA.
 */
public record TestCertificates(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey,
                        Path strangerCert, Path strangerKey) {

    public static TestCertificates make(Path dir) throws IOException, InterruptedException {
        Path ca = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca-key.pem");
        selfSignedCa(dir, ca, caKey, "berth test CA");
        Path otherCa = dir.resolve("other-ca.pem");
        Path otherCaKey = dir.resolve("other-ca-key.pem");
        selfSignedCa(dir, otherCa, otherCaKey, "another CA");
        TestCertificates certs = new TestCertificates(ca, dir.resolve("server-cert.pem"), dir.resolve("server-key.pem"),
                dir.resolve("cert.pem"), dir.resolve("key.pem"), dir.resolve("stranger-cert.pem"), dir.resolve("stranger-key.pem"));
        signed(dir, ca, caKey, certs.serverCert, certs.serverKey, "localhost",
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        signed(dir, ca, caKey, certs.clientCert, certs.clientKey, "client", "extendedKeyUsage=clientAuth\n");
        signed(dir, otherCa, otherCaKey, certs.strangerCert, certs.strangerKey, "client", "extendedKeyUsage=clientAuth\n");
        return certs;
    }

    private static void selfSignedCa(Path dir, Path cert, Path key, String name) throws IOException, InterruptedException {
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", key.toString(), "-out", cert.toString());
    }

    private static void signed(Path dir, Path ca, Path caKey, Path cert, Path key, String name, String extensions)
            throws IOException, InterruptedException {
        Path csr = dir.resolve(name + "-" + System.nanoTime() + ".csr");
        Path ext = dir.resolve(name + "-" + System.nanoTime() + ".ext");
        Files.writeString(ext, extensions, StandardCharsets.US_ASCII);
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", key.toString(), "-out", csr.toString());
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-set_serial", Long.toString(System.nanoTime()), "-days", "2", "-extfile", ext.toString(), "-out", cert.toString());
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
}
