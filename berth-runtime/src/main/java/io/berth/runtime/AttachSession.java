package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.oci.errors.SystemFailureException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntSupplier;

/**
 * A client of conmon's attach socket (SOCK_SEQPACKET in the bundle dir). conmon sends each chunk of container
 * output as one packet whose first byte names the stream (2 stdout, 3 stderr); whatever we send is written
 * to the container's stdin. A session made before the container starts connects when it starts, so no
 * output is missed (Docker attaches before it starts). Output is read, and stdin sent ({@link AttachStdin}), on
 * platform threads because the blocking recv and send are native calls.
 */
public final class AttachSession implements AutoCloseable {
    private static final int STDOUT_PACKET = 2;
    private static final int STDERR_PACKET = 3;
    private static final int BUF_SIZE = 32 * 1024;
    private static final long TERMINAL_INPUT_GRACE_MILLIS = 2000;
    /** How long a closed session keeps reading what conmon still sends, so conmon sees our end before a failed write. */
    private static final long CLOSE_LINGER_MILLIS = 5000;

    private final String containerId;
    private final boolean tty;
    private final boolean wantStdout;
    private final boolean wantStderr;
    private final List<Replayed> replay = new ArrayList<>();
    private final PacketInputStream stdout = new PacketInputStream();
    private final PacketInputStream stderr = new PacketInputStream();
    private final OutputStream stdin;
    private final ResizeTarget resizeTarget;
    private final IntSupplier exitWaiter;
    /** The container's stdin when it was asked for, else null. */
    private final AttachStdin stdinFeed;
    /** Counted down when the connection to conmon ends (the container stopped), or the session ends without one. */
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile int fd = -1;
    private volatile boolean closed;
    /** Threads that still use {@link #fd} (the output pump, the stdin feeder); the last one closes it. */
    private int fdUsers;

    /** Where resize requests go (conmon's winsz FIFO of the container). */
    interface ResizeTarget {
        void resize(int height, int width);
    }

    AttachSession(String containerId, boolean tty, boolean stdin, boolean stdout, boolean stderr,
                  ResizeTarget resizeTarget, IntSupplier exitWaiter) {
        this.containerId = containerId;
        this.tty = tty;
        this.wantStdout = stdout;
        this.wantStderr = stderr;
        this.resizeTarget = resizeTarget;
        this.exitWaiter = exitWaiter;
        this.stdinFeed = stdin ? new AttachStdin() : null;
        this.stdin = !stdin ? OutputStream.nullOutputStream() : tty ? new TerminalInput() : stdinFeed;
        if (!stderr || tty) this.stderr.end();
        if (!stdout) this.stdout.end();
    }

    public String containerId() {
        return containerId;
    }

    public boolean tty() {
        return tty;
    }

    /**
     * Bytes written here reach the container's stdin (if it was created with OpenStdin). Closing it sends EOF; with
     * a tty it ends this session instead.
     */
    public OutputStream stdin() {
        return stdin;
    }

    /** The container's stdout; with a tty, everything the terminal prints. */
    public InputStream stdout() {
        return stdout;
    }

    /** The container's stderr; always empty with a tty. */
    public InputStream stderr() {
        return stderr;
    }

    public void resize(int height, int width) {
        resizeTarget.resize(height, width);
    }

    /**
     * Blocks until the connection to conmon ends (the container stopped) or the session ends without one: what
     * an attach that asked for no output waits for.
     */
    public void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** Blocks until the container is no longer running and returns its exit code. */
    public int waitFor() {
        return exitWaiter.getAsInt();
    }

    /** One piece of logged output an attach with logs=true sends ahead of the live output. */
    public record Replayed(LogEntry.Stream stream, byte[] data) {}

    /**
     * Keeps previously logged output to be sent ahead of the live output (attach with logs=true), in the log's order:
     * put on the two live streams, stdout's and stderr's lines came out in whichever order their pumps ran.
     */
    void prepend(LogEntry e) {
        LogEntry.Stream stream = tty ? LogEntry.Stream.STDOUT : e.stream(); // a terminal's output is all one stream
        if (stream == LogEntry.Stream.STDERR ? wantStderr : wantStdout) replay.add(new Replayed(stream, e.data()));
    }

    /** The logged output to send first, in order (empty without logs=true). */
    public List<Replayed> replay() {
        return List.copyOf(replay);
    }

    /**
     * Connects to conmon's attach socket and starts the threads that use it. Sends nothing itself: the caller is
     * about to start the container, and stdin written before the start reaches it once it runs and reads.
     */
    synchronized void connect(java.nio.file.Path bundleDir) {
        if (closed || fd >= 0) return;
        try {
            fd = LinuxCalls.connectSeqpacket(bundleDir.toString(), "attach");
        } catch (ErrnoException e) {
            throw new SystemFailureException("attaching to container " + containerId + ": " + e.getMessage(), e);
        }
        int myFd = fd;
        String name = containerId.substring(0, 12);
        fdUsers = stdinFeed == null ? 1 : 2;
        Thread.ofPlatform().daemon().name("attach-" + name).start(() -> pump(myFd));
        if (stdinFeed != null) Thread.ofPlatform().daemon().name("attach-stdin-" + name).start(() -> feedStdin(myFd));
    }

    /** Ends the streams of a session that will never connect (the container did not start). */
    void abandon() {
        if (stdinFeed != null) stdinFeed.fail(new IOException("container " + containerId + " did not start"));
        stdout.end();
        stderr.end();
        ended.countDown();
    }

    private void feedStdin(int myFd) {
        try {
            stdinFeed.feed(new AttachStdin.Socket() {
                @Override
                public void send(byte[] packet) throws IOException {
                    LinuxCalls.send(myFd, packet, 0, packet.length);
                }

                @Override
                public void endInput() {
                    LinuxCalls.shutdownWrite(myFd);
                }
            });
        } finally {
            releaseFd(myFd);
        }
    }

    private void pump(int myFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(BUF_SIZE + 1);
            while (true) {
                int n = LinuxCalls.recv(myFd, buf);
                if (n <= 0) break;
                if (closed) continue; // lingering after close: read only so that conmon's writes do not fail
                int stream = buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
                byte[] data = buf.asSlice(1, n - 1).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                if (stream == STDERR_PACKET && !tty) {
                    if (wantStderr) stderr.offer(data);
                } else if (stream == STDOUT_PACKET || tty) {
                    if (wantStdout) stdout.offer(data);
                }
            }
        } catch (ErrnoException | RuntimeException ignored) {
            // a reset connection is an end of stream like any other
        } finally {
            // conmon closes the connection when the container has stopped: stdin can no longer be delivered
            if (stdinFeed != null) stdinFeed.fail(new IOException("container " + containerId + " is not running"));
            stdout.end();
            stderr.end();
            ended.countDown();
            releaseFd(myFd);
        }
    }

    /** The fd is closed by the last thread that uses it, so neither sends to or reads a number reused meanwhile. */
    private synchronized void releaseFd(int myFd) {
        if (--fdUsers == 0) LinuxCalls.close(myFd);
    }

    /**
     * A terminal has no end of input: a client that ends its input ends its attach, as in Docker, and the container
     * keeps its terminal for the next one (conmon runs with --leave-stdin-open).
     */
    private final class TerminalInput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            stdinFeed.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            stdinFeed.write(b, off, len);
        }

        /** What was typed last still arrives, unless the terminal does not take it within a moment. */
        @Override
        public void close() {
            stdinFeed.close(TERMINAL_INPUT_GRACE_MILLIS);
            AttachSession.this.close();
        }
    }

    /**
     * Ends the session for its client now; the connection to conmon ends in two steps. First our end of input, which
     * conmon reads as the end of this client (and, without --leave-stdin-open, closes the container's stdin); we keep
     * reading what conmon still sends until conmon closes the connection (the container stopped) or
     * {@value #CLOSE_LINGER_MILLIS} ms pass. Why not shut both ways at once: conmon 2.1.6 frees a client whose write
     * failed and then, on reading its end of input, reads the freed memory to decide whether to close the container's
     * stdin (terminate_remote_sock after remote_sock_shutdown). When the container printed between our shutdown and
     * conmon's read of the end, the write failed first and the container's stdin stayed open forever (a `cat` that
     * never ended, about one attach in 25).
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (stdinFeed != null) stdinFeed.fail(new IOException("attach session closed"));
        // The threads own the fd and close it once they return; shutdown wakes one blocked in send, later in recv.
        if (fd >= 0 && fdUsers > 0) {
            LinuxCalls.shutdownWrite(fd);
            Thread.ofVirtual().name("attach-linger-" + containerId.substring(0, 12)).start(this::endLinger);
        }
        stdout.end();
        stderr.end();
        ended.countDown();
    }

    private void endLinger() {
        try {
            Thread.sleep(CLOSE_LINGER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            // while a thread still uses the fd it is ours: the number cannot have been reused
            if (fdUsers > 0) LinuxCalls.shutdownBoth(fd);
        }
    }
}
