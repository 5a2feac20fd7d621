package io.berth.client;

import io.berth.http.BlockInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One full-duplex byte connection to the daemon. Reads and writes may happen on different threads
 * at once (attach, exec), so the Unix-socket streams call the channel directly instead of going
 * through {@code Channels.newInputStream}, whose streams share one lock for both directions.
 */
public final class Connection implements Closeable {

    private final InputStream in;
    private final OutputStream out;
    private final IoAction shutdownOutput;
    private final Closeable closer;

    private Connection(InputStream in, OutputStream out, IoAction shutdownOutput, Closeable closer) {
        this.in = in;
        this.out = out;
        this.shutdownOutput = shutdownOutput;
        this.closer = closer;
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    public static Connection open(DockerHost host) throws IOException {
        return switch (host) {
            case DockerHost.Unix unix -> openUnix(unix);
            case DockerHost.Tcp tcp -> openTcp(tcp);
        };
    }

    private static Connection openUnix(DockerHost.Unix unix) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(unix.socket()));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new Connection(new ChannelIn(channel), new ChannelOut(channel), channel::shutdownOutput, channel);
    }

    private static Connection openTcp(DockerHost.Tcp tcp) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(tcp.host(), tcp.port()));
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        if (tcp.tls() == null) {
            return new Connection(socket.getInputStream(), socket.getOutputStream(), socket::shutdownOutput, socket);
        }
        SSLSocket tls = (SSLSocket) tcp.tls().context().getSocketFactory().createSocket(socket, tcp.host(), tcp.port(), true);
        if (tcp.tls().verifiesServer()) {
            // the daemon's certificate must name the host dialled, as Go's client checks it
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
        }
        try {
            tls.startHandshake();
        } catch (IOException e) {
            tls.close();
            throw e;
        }
        // Half-closing a TLS 1.3 stream sends close_notify: the daemon reads end of input, and can still answer.
        // Closing ends with close_notify alone: SSLSocket.close() on TLS 1.3 sends user_canceled first, which Go's TLS
        // (dockerd) takes as an error.
        return new Connection(tls.getInputStream(), tls.getOutputStream(), tls::shutdownOutput, (TlsCloser) () -> {
            try {
                if (!tls.isOutputShutdown()) {
                    tls.shutdownOutput();
                }
            } catch (IOException e) {
                // the daemon is gone already; closing is all that is left
            } finally {
                socket.close();
            }
        });
    }

    /**
     * Why a write failed, as well as it can be told: a TLS 1.3 daemon that refuses the client's certificate (or its
     * absence) says so in an alert after the client's side of the handshake is done, then closes; the first write then
     * fails with a bare "Broken pipe", while the alert waits unread. Reading it gives the reason.
     */
    IOException explain(IOException writeFailure) {
        if (!(closer instanceof TlsCloser)) {
            return writeFailure;
        }
        try {
            in.read();
        } catch (javax.net.ssl.SSLException alert) {
            return alert;
        } catch (IOException ignored) {
            // no alert to read: the write's own failure is the news
        }
        return writeFailure;
    }

    /** Marks a TLS connection's closer. */
    private interface TlsCloser extends Closeable {}

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    /** Half-closes the write side: the peer sees end of input while we keep reading. */
    public void shutdownOutput() throws IOException {
        shutdownOutput.run();
    }

    @Override
    public void close() throws IOException {
        closer.close();
    }

    private static final class ChannelIn extends BlockInputStream {
        private final SocketChannel channel;

        ChannelIn(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        protected int readBlock(byte[] b, int off, int len) throws IOException {
            int n = channel.read(ByteBuffer.wrap(b, off, len));
            return n;
        }
    }

    private static final class ChannelOut extends OutputStream {
        private final SocketChannel channel;

        ChannelOut(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }
}
