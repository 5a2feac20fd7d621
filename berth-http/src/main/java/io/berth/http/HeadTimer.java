package io.berth.http;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The deadline for a request head (Go's {@code ReadHeaderTimeout}), against slowloris clients that hold a
 * connection by sending a head a byte at a time: a connection whose head is not complete in time is closed.
 * A blocking channel read has no timeout of its own (a Unix-domain channel has no {@code SO_TIMEOUT}), so one
 * timer thread closes late connections for a whole server.
 * <p>
 * As in Go, the clock starts when a connection is accepted, and on a kept-alive connection when the next
 * request's first byte arrives: waiting idle between requests is not sending a head slowly.
 */
public final class HeadTimer implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;
    private final Duration timeout;

    public HeadTimer(String name, Duration timeout) {
        this.timeout = timeout;
        this.timer = new ScheduledThreadPoolExecutor(1, task -> Thread.ofPlatform().name(name).daemon(true).unstarted(task));
        timer.setRemoveOnCancelPolicy(true);
    }

    /** One head's clock: {@link #cancel} once the head is read. */
    public static final class Deadline {
        private final ScheduledFuture<?> expiry;

        private Deadline(ScheduledFuture<?> expiry) {
            this.expiry = expiry;
        }

        public void cancel() {
            expiry.cancel(false);
        }

        boolean expired() {
            return expiry.isDone() && !expiry.isCancelled();
        }
    }

    /** Starts the clock: when it runs out, {@code connection} is closed, which ends any read blocked on it. */
    public Deadline start(Closeable connection) {
        return new Deadline(timer.schedule(() -> {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /**
     * Reads a head under {@code deadline}, then stops it.
     *
     * @throws InterruptedIOException when the deadline closed the connection first
     */
    public RequestHead read(InputStream in, Deadline deadline) throws IOException {
        try {
            return RequestHead.read(in);
        } catch (IOException e) {
            if (deadline.expired()) {
                throw new InterruptedIOException("no complete request head within " + timeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            deadline.cancel();
        }
    }

    /**
     * Waits, without a deadline, until the next request's first byte arrives on a kept-alive connection.
     * {@code in} must support mark (a {@link java.io.BufferedInputStream}); the byte stays unread.
     *
     * @throws EOFException when the client closes the connection instead
     */
    public static void awaitNextRequest(InputStream in) throws IOException {
        in.mark(1);
        if (in.read() < 0) {
            throw new EOFException("connection closed between requests");
        }
        in.reset();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
