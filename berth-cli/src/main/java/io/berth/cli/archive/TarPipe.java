package io.berth.cli.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Turns a tar writer into the stream a request body reads, so a build context is sent while it is being
 * archived instead of first landing in memory or a temp file. The writer runs on a virtual thread; if it
 * fails, the reader sees that failure where the stream would have ended.
 */
public final class TarPipe {

    /** Writes a whole archive to {@code out}. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private TarPipe() {}

    public static InputStream of(Writer writer) throws IOException {
        PipedInputStream in = new PipedInputStream(64 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().name("context-tar").start(() -> {
            try (out) {
                writer.write(out);
            } catch (IOException e) {
                failure.set(e);
            }
        });
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n < 0) {
                    awaitWriter();
                }
                return n;
            }

            private void awaitWriter() throws IOException {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while archiving the build context", e);
                }
                if (failure.get() != null) {
                    throw failure.get();
                }
            }

            @Override
            public void close() throws IOException {
                // a writer blocked on a full pipe fails with "Pipe closed" and ends
                in.close();
            }
        };
    }
}
