package io.berth.runtime;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A container's stdin on its way to conmon's attach socket. The client's thread writes here; one feeder thread
 * ({@link #feed}) sends what was written, in order, as messages conmon reads whole.
 *
 * <p>Why a queue and a thread of its own: send(2) blocks while conmon does not read (the container has not
 * started, or reads its stdin slower than the client writes). Blocking there inside the start path deadlocks
 * (the container never starts to read what is sent before it starts), and a virtual thread blocked in a native
 * call holds one of the few carrier threads. Writers block on this queue instead (backpressure that does not
 * pin), and only the feeder, a platform thread, blocks in send.
 *
 * <p>Why pieces: conmon reads its SOCK_SEQPACKET attach socket {@value #PACKET} bytes at a time (conmon's
 * CONN_SOCK_BUF_SIZE), and a message longer than the read is cut there and its rest is lost.
 *
 * <pre>
 * open ── close() ──▶ closed: what was queued is sent, then end of input ──▶ delivered (close() returns)
 *   └──── fail(why), any time ──▶ failed: what was queued is dropped; every later write throws why
 * </pre>
 */
final class AttachStdin extends OutputStream {
    /** The largest message conmon reads whole from its attach socket. */
    static final int PACKET = 32 * 1024;
    /** How many messages may wait for the feeder; writers block beyond it. */
    private static final int QUEUED = 8;

    /** Where the feeder sends: the attach socket. */
    interface Socket {
        /** Sends one message, blocking until the socket takes it. */
        void send(byte[] packet) throws IOException;

        /** The client's input has ended (shutdown of the socket's write side). */
        void endInput();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private boolean closed;
    /** Everything written was sent and the end of input too. */
    private boolean delivered;
    private IOException failure;

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        for (int at = off, end = off + len; at < end; at += PACKET) {
            enqueue(Arrays.copyOfRange(b, at, Math.min(end, at + PACKET)));
        }
    }

    private void enqueue(byte[] packet) throws IOException {
        lock.lock();
        try {
            while (queue.size() >= QUEUED && failure == null && !closed) changed.await();
            if (failure != null) throw new IOException(failure.getMessage(), failure);
            if (closed) throw new IOException("stdin already closed");
            queue.add(packet);
            changed.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted writing to the container's stdin");
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client's input has ended: what was written is still sent, then the end. Returns once that is done (or
     * can no longer be done), so a caller that ends the session next does not drop the last bytes.
     */
    @Override
    public void close() {
        close(Long.MAX_VALUE);
    }

    /** {@link #close()}, waiting at most {@code millis} for the delivery. */
    void close(long millis) {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            long left = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!delivered && failure == null && left > 0) {
                try {
                    left = changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Nothing more can be delivered (the container stopped, the session ended): writers learn {@code why}. */
    void fail(IOException why) {
        lock.lock();
        try {
            if (failure == null) failure = why;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends everything written until the input ends (then ends the socket's input) or fails (a failed send fails
     * this stream: the writer gets the error, nothing is dropped silently). Runs on the feeder thread.
     */
    void feed(Socket socket) {
        while (true) {
            byte[] packet;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed && failure == null) changed.awaitUninterruptibly();
                if (failure != null) return;
                packet = queue.poll();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (packet == null) {
                socket.endInput();
                lock.lock();
                try {
                    delivered = true;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                return;
            }
            try {
                socket.send(packet);
            } catch (IOException e) {
                fail(new IOException("sending stdin to the container: " + e.getMessage(), e));
                return;
            }
        }
    }
}
