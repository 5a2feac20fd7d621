package io.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.http.tls.TlsContexts;

/** berthd's TCP listener with TLS and client certificates, against JDK TLS clients and a plain one. */
class ApiHttpServerTlsTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static ApiHttpServer server;
    static int port;
    static ApiHttpServer plainServer;
    static int plainPort;
    static ApiHttpServer unverifiedServer;
    static int unverifiedPort;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.make(dir);
        Router router = new Router()
                .add("GET", "/_ping", (rq, rs) -> rs.text(200, "OK"))
                .add("POST", "/hijack", (rq, rs) -> {
                    HttpResponse.Hijacked h = rs.hijack(rq.wantsUpgrade(), "application/vnd.docker.raw-stream");
                    long n = h.in().transferTo(OutputStream.nullOutputStream());
                    h.out().write(("got " + n + " bytes after the client's end of input\n").getBytes(StandardCharsets.UTF_8));
                    h.out().flush();
                });
        ServerTls tls = new ServerTls(TlsContexts.server(certs.serverCert(), certs.serverKey(), certs.ca()), true);
        server = new ApiHttpServer(List.of(new ApiHost.Tcp("127.0.0.1", 0)), tls, router, new ErrorMapper(),
                new ApiHttpServer.Limits(Duration.ofSeconds(2), 16));
        server.start();
        port = ((InetSocketAddress) server.boundAddresses().getFirst()).getPort();
        plainServer = new ApiHttpServer(List.of(new ApiHost.Tcp("127.0.0.1", 0)), null, router, new ErrorMapper(),
                ApiHttpServer.Limits.DEFAULT);
        plainServer.start();
        plainPort = ((InetSocketAddress) plainServer.boundAddresses().getFirst()).getPort();
        unverifiedServer = new ApiHttpServer(List.of(new ApiHost.Tcp("127.0.0.1", 0)),
                new ServerTls(TlsContexts.server(certs.serverCert(), certs.serverKey(), null), false), router, new ErrorMapper(),
                ApiHttpServer.Limits.DEFAULT);
        unverifiedServer.start();
        unverifiedPort = ((InetSocketAddress) unverifiedServer.boundAddresses().getFirst()).getPort();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) server.close();
        if (plainServer != null) plainServer.close();
        if (unverifiedServer != null) unverifiedServer.close();
    }

    @Test
    void aClientWithACertificateFromTheCaIsServedAndChecksTheServersName() throws Exception {
        try (SSLSocket socket = tlsClient(TlsContexts.client(certs.ca(), certs.clientCert(), certs.clientKey()))) {
            String response = exchange(socket, "GET /_ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nOK");
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        try (SSLSocket socket = tlsClient(TlsContexts.client(certs.ca(), null, null))) {
            assertThatThrownBy(() -> exchange(socket, "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aClientWithACertificateFromAnotherCaIsRefused() throws Exception {
        try (SSLSocket socket = tlsClient(TlsContexts.client(certs.ca(), certs.strangerCert(), certs.strangerKey()))) {
            assertThatThrownBy(() -> exchange(socket, "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsGosAnswer() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            String response = exchange(socket, "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response).isEqualTo("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
        }
    }

    @Test
    void aHijackedStreamSeesTheClientsHalfCloseAndStillAnswers() throws Exception {
        try (SSLSocket socket = tlsClient(TlsContexts.client(certs.ca(), certs.clientCert(), certs.clientKey()))) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /hijack HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n"
                    + "hello").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(response).startsWith("HTTP/1.1 101 UPGRADED").endsWith("got 5 bytes after the client's end of input\n");
        }
    }

    @Test
    void aHandshakeThatStallsLosesItsConnectionAtTheHeadDeadline() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(0x16); // the first byte of a ClientHello, and nothing more
            socket.getOutputStream().flush();
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(8));
        }
    }

    @Test
    void tlsWithoutClientVerificationServesAClientWithoutCertificate() throws Exception {
        SSLSocket socket = (SSLSocket) TlsContexts.client(certs.ca(), null, null).getSocketFactory()
                .createSocket("127.0.0.1", unverifiedPort);
        try (socket) {
            socket.setSoTimeout(5000);
            assertThat(exchange(socket, "GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aTcpListenerWithoutTlsServesPlainHttp() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", plainPort)) {
            socket.setSoTimeout(5000);
            assertThat(exchange(socket, "GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 OK");
        }
    }

    private static SSLSocket tlsClient(SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static String exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
