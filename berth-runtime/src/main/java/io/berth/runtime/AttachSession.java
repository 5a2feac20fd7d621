package io.berth.runtime;

import io.berth.linux.ErrnoException;
import io.berth.oci.errors.SystemFailureException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.IntSupplier;

/**
 * A client of conmon's attach socket (SOCK_SEQPACKET in the bundle dir). conmon sends each chunk of container
 * output as one packet whose first byte names the stream (2 stdout, 3 stderr); whatever we send is written
 * to the container's stdin. A session made before the container starts connects when it starts, so no
 * output is missed (Docker attaches before it starts). Output is read on a platform thread because the
 * blocking recv is a native call.
 */
public final class AttachSession implements AutoCloseable {
    private static final int STDOUT_PACKET = 2;
    private static final int STDERR_PACKET = 3;
    private static final int BUF_SIZE = 32 * 1024;

    private final String containerId;
    private final boolean tty;
    private final boolean wantStdout;
    private final boolean wantStderr;
    private final PacketInputStream stdout = new PacketInputStream();
    private final PacketInputStream stderr = new PacketInputStream();
    private final OutputStream stdin;
    private final ResizeTarget resizeTarget;
    private final IntSupplier exitWaiter;
    private final ByteArrayOutputStream pendingStdin = new ByteArrayOutputStream();
    private volatile int fd = -1;
    private volatile boolean closed;
    private boolean stdinClosedEarly;

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
        this.stdin = stdin ? new StdinStream() : OutputStream.nullOutputStream();
        if (!stderr || tty) this.stderr.end();
        if (!stdout) this.stdout.end();
    }

    public String containerId() {
        return containerId;
    }

    public boolean tty() {
        return tty;
    }

    /** Bytes written here reach the container's stdin (if it was created with OpenStdin). Closing it sends EOF. */
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

    /** Blocks until the container is no longer running and returns its exit code. */
    public int waitFor() {
        return exitWaiter.getAsInt();
    }

    /** Feeds previously logged output ahead of live output (attach with logs=true). */
    void prepend(LogEntry e) {
        if (e.stream() == LogEntry.Stream.STDERR && wantStderr && !tty) stderr.offer(e.data());
        else if (wantStdout) stdout.offer(e.data());
    }

    synchronized void connect(java.nio.file.Path bundleDir) {
        if (closed || fd >= 0) return;
        try {
            fd = LinuxCalls.connectSeqpacket(bundleDir.toString(), "attach");
        } catch (ErrnoException e) {
            throw new SystemFailureException("attaching to container " + containerId + ": " + e.getMessage(), e);
        }
        int myFd = fd;
        try {
            if (pendingStdin.size() > 0) LinuxCalls.send(myFd, pendingStdin.toByteArray(), 0, pendingStdin.size());
            if (stdinClosedEarly) LinuxCalls.shutdownWrite(myFd);
        } catch (ErrnoException ignored) {
            // the container may already be gone; output pumping below ends the session
        }
        Thread.ofPlatform().daemon().name("attach-" + containerId.substring(0, 12)).start(() -> pump(myFd));
    }

    /** Ends the streams of a session that will never connect (the container did not start). */
    void abandon() {
        stdout.end();
        stderr.end();
    }

    private void pump(int myFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(BUF_SIZE + 1);
            while (true) {
                int n = LinuxCalls.recv(myFd, buf);
                if (n <= 0) break;
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
            LinuxCalls.close(myFd);
            stdout.end();
            stderr.end();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        // The pump thread owns the fd and closes it once recv returns; shutdown wakes it up.
        if (fd >= 0) LinuxCalls.shutdownBoth(fd);
        stdout.end();
        stderr.end();
    }

    private final class StdinStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (AttachSession.this) {
                if (closed) throw new IOException("attach session closed");
                if (fd < 0) {
                    pendingStdin.write(b, off, len);
                    return;
                }
                LinuxCalls.send(fd, b, off, len);
            }
        }

        @Override
        public void close() {
            synchronized (AttachSession.this) {
                if (fd >= 0) LinuxCalls.shutdownWrite(fd);
                else stdinClosedEarly = true;
            }
        }
    }
}
