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
        socket.connect(new InetSocketAddress(tcp.host(), tcp.port()));
        socket.setTcpNoDelay(true);
        return new Connection(socket.getInputStream(), socket.getOutputStream(), socket::shutdownOutput, socket);
    }

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
