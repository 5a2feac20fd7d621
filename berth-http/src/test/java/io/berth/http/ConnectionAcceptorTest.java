package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConnectionAcceptorTest {
    private static final Logger LOG = Logger.getLogger(ConnectionAcceptorTest.class.getName());

    private static ServerSocketChannel listen() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ConnectionAcceptor.BACKLOG);
        return listener;
    }

    private static SocketChannel connect(ServerSocketChannel listener) throws IOException {
        return SocketChannel.open(listener.getLocalAddress());
    }

    @Test
    void anErrorInAConnectionIsLoggedAndTheNextConnectionIsServed() throws Exception {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord record) { logged.add(record); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        LOG.addHandler(capture);
        LOG.setUseParentHandlers(false);
        AtomicInteger served = new AtomicInteger();
        try (ServerSocketChannel listener = listen(); ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
             ConnectionAcceptor acceptor = new ConnectionAcceptor("test-accept", listener, 4, executor, channel -> {
                 if (served.incrementAndGet() == 1) throw new OutOfMemoryError("simulated");
                 channel.write(ByteBuffer.wrap(new byte[] {'k'}));
             }, LOG)) {
            acceptor.start(Thread.ofVirtual());
            try (SocketChannel first = connect(listener)) {
                assertThat(first.read(ByteBuffer.allocate(1))).isEqualTo(-1); // closed, unanswered
            }
            try (SocketChannel second = connect(listener)) {
                ByteBuffer answer = ByteBuffer.allocate(1);
                assertThat(second.read(answer)).isEqualTo(1);
            }
            // try-with-resources closes the channel before the catch logs: wait for the record
            for (int i = 0; i < 200 && logged.stream().noneMatch(r -> r.getLevel() == Level.SEVERE); i++) Thread.sleep(10);
            assertThat(logged).anySatisfy(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(r.getThrown()).isInstanceOf(OutOfMemoryError.class);
            });
            // the failed connection's slot was given back: only the slot held for the next accept remains
            for (int i = 0; i < 200 && acceptor.openConnections() > 1; i++) Thread.sleep(10);
            assertThat(acceptor.openConnections()).isLessThanOrEqualTo(1);
        } finally {
            LOG.removeHandler(capture);
            LOG.setUseParentHandlers(true);
        }
    }

    @Test
    void noMoreThanTheCapAreServedAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        try (ServerSocketChannel listener = listen(); ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
             ConnectionAcceptor acceptor = new ConnectionAcceptor("test-accept", listener, 3, executor, channel -> {
                 most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                 release.await();
                 concurrent.decrementAndGet();
                 done.incrementAndGet();
             }, LOG)) {
            acceptor.start(Thread.ofVirtual());
            List<SocketChannel> clients = new ArrayList<>();
            for (int i = 0; i < 10; i++) clients.add(connect(listener));
            Thread.sleep(200);
            assertThat(most.get()).isEqualTo(3);
            release.countDown();
            while (done.get() < 10) Thread.sleep(10);
            assertThat(most.get()).isEqualTo(3);
            for (SocketChannel c : clients) c.close();
        }
    }
}
