package io.berth.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BlobGet against a one-shot server on loopback that answers with canned bytes and records the request. */
class BlobGetTest {
    private record Exchange(URI uri, CompletableFuture<String> request) {}

    private static Exchange serve(String response) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture<String> request = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (server; Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    head.write(in.read());
                }
                request.complete(head.toString(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                request.completeExceptionally(e);
            }
        });
        return new Exchange(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v2/r/blobs/sha256:ab?x=1"), request);
    }

    private static String body(BlobGet.Response r) throws IOException {
        try (r) {
            return new String(r.body().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void sendsTheHeadersAndReadsALengthFramedBody() throws Exception {
        Exchange x = serve("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Range", "bytes=3-");
        headers.put("Authorization", "Bearer t");
        BlobGet.Response r = BlobGet.send(x.uri(), headers, Duration.ofSeconds(5), SSLContext.getDefault());
        assertThat(r.status()).isEqualTo(200);
        assertThat(body(r)).isEqualTo("hello");
        assertThat(x.request().get()).startsWith("GET /v2/r/blobs/sha256:ab?x=1 HTTP/1.1\r\nHost: 127.0.0.1:")
                .contains("\r\nRange: bytes=3-\r\n", "\r\nAuthorization: Bearer t\r\n", "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void readsChunkedBodiesAndBodiesThatRunToTheEndOfTheConnection() throws Exception {
        Exchange chunked = serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        assertThat(body(BlobGet.send(chunked.uri(), Map.of(), Duration.ofSeconds(5), SSLContext.getDefault()))).isEqualTo("abcde");
        Exchange unframed = serve("HTTP/1.0 200 OK\r\n\r\nall of it");
        assertThat(body(BlobGet.send(unframed.uri(), Map.of(), Duration.ofSeconds(5), SSLContext.getDefault()))).isEqualTo("all of it");
    }

    @Test
    void aBodyCutShortIsAnErrorNotAShortBlob() throws Exception {
        Exchange x = serve("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
        BlobGet.Response r = BlobGet.send(x.uri(), Map.of(), Duration.ofSeconds(5), SSLContext.getDefault());
        assertThatThrownBy(() -> body(r)).isInstanceOf(IOException.class).hasMessageContaining("missing");
    }

    @Test
    void headerValuesCannotSmuggleLines() throws Exception {
        Exchange x = serve("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThatThrownBy(() -> BlobGet.send(x.uri(), Map.of("Range", "bytes=0-\r\nX-Evil: 1"), Duration.ofSeconds(5), SSLContext.getDefault()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobGet.send(URI.create("ftp://127.0.0.1/x"), Map.of(), Duration.ofSeconds(5), SSLContext.getDefault()))
                .hasMessageContaining("unsupported URL scheme");
    }

    @Test
    void httpsChecksTheCertificateAgainstTheGivenContext(@TempDir Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keyalg", "EC", "-alias", "r", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "1")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("registry", keys.getCertificate("r"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);

        SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 2,
                InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (listener) {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = listener.accept()) {
                        InputStream in = s.getInputStream();
                        ByteArrayOutputStream head = new ByteArrayOutputStream();
                        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                            head.write(in.read());
                        }
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret".getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException ignored) {
                        // the untrusting client hangs up during the handshake
                    }
                }
            } catch (IOException ignored) {
                // listener closed
            }
        });
        URI uri = URI.create("https://127.0.0.1:" + listener.getLocalPort() + "/v2/r/blobs/sha256:ab");
        assertThatThrownBy(() -> BlobGet.send(uri, Map.of(), Duration.ofSeconds(5), SSLContext.getDefault()))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(body(BlobGet.send(uri, Map.of(), Duration.ofSeconds(5), trusting))).isEqualTo("secret");
    }
}
