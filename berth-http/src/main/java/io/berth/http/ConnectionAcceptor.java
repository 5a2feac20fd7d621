package io.berth.http;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The accept loop of an HTTP server: each connection is served on its own (virtual) thread, at most
 * {@code maxConnections} at a time. Past the cap the loop stops accepting, so further clients wait in the listen
 * backlog ({@link #BACKLOG}) as with Go's {@code netutil.LimitListener}: a flood of idle connections costs the
 * kernel's queue, not the heap, and each one served holds at most one bounded head ({@link RequestHead#MAX_HEAD}).
 * <p>
 * A connection's failure, an {@link Error} such as {@link OutOfMemoryError} included, is logged and ends that
 * connection only; the loop itself survives anything (a failed accept, say for want of file descriptors, is
 * logged and retried after a pause rather than in a hot loop).
 */
public final class ConnectionAcceptor implements AutoCloseable {
    /** The listen backlog both servers bind with: bursts of clients queue in the kernel instead of being refused. */
    public static final int BACKLOG = 512;
    private static final long ACCEPT_RETRY_MILLIS = 100;

    /** Serves one accepted connection; the acceptor closes it afterwards. */
    @FunctionalInterface
    public interface Connection {
        void serve(SocketChannel channel) throws Exception;
    }

    private final String name;
    private final ServerSocketChannel listener;
    private final int maxConnections;
    private final Semaphore slots;
    private final ExecutorService executor;
    private final Connection connection;
    private final Logger log;
    private volatile boolean capReported;

    /** {@code listener} is bound already; {@code executor} runs one task per connection. */
    public ConnectionAcceptor(String name, ServerSocketChannel listener, int maxConnections, ExecutorService executor,
                              Connection connection, Logger log) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        this.name = name;
        this.listener = listener;
        this.maxConnections = maxConnections;
        this.slots = new Semaphore(maxConnections);
        this.executor = executor;
        this.connection = connection;
        this.log = log;
    }

    /** Starts the loop on {@code thread} (a platform thread keeps a daemon's JVM alive; a virtual one does not). */
    public void start(Thread.Builder thread) {
        thread.name(name).start(this::acceptLoop);
    }

    /** Connections being served now (a slot taken for the next accept counts too). */
    public int openConnections() {
        return maxConnections - slots.availablePermits();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            if (!slots.tryAcquire()) {
                if (!capReported) {
                    capReported = true;
                    log.warning(name + ": " + maxConnections + " connections open; new ones wait in the backlog");
                }
                try {
                    slots.acquire();
                } catch (InterruptedException e) {
                    return;
                }
            }
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (Throwable t) {
                slots.release();
                if (!listener.isOpen()) {
                    return;
                }
                log.log(Level.WARNING, name + ": accept failed", t);
                pause();
                continue;
            }
            try {
                executor.execute(() -> run(channel));
            } catch (Throwable t) {
                slots.release();
                closeQuietly(channel);
                if (!(t instanceof RejectedExecutionException)) {
                    log.log(Level.SEVERE, name + ": cannot start serving a connection", t);
                    pause();
                }
            }
        }
    }

    private void run(SocketChannel channel) {
        try (channel) {
            connection.serve(channel);
        } catch (Error e) {
            log.log(Level.SEVERE, name + ": connection failed; the server keeps serving", e);
        } catch (IOException e) {
            log.log(Level.FINE, name + ": connection ended", e);
        } catch (Throwable t) {
            log.log(Level.WARNING, name + ": connection failed", t);
        } finally {
            slots.release();
            if (capReported && slots.availablePermits() > maxConnections / 2) {
                capReported = false;
            }
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(ACCEPT_RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a connection we never served
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing a listener cannot fail in a way that matters
        }
    }
}
