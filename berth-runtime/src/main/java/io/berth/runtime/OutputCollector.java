package io.berth.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a child's output pipe to its end on a thread of its own, so the caller can wait for the child with a
 * timeout instead of blocking in read until every writer has closed the pipe. The stream is closed when its end is
 * reached. The thread is a platform one: a virtual thread blocked reading a pipe through a FileInputStream holds its
 * carrier for as long as the runtime runs, and a few runtime calls at once (50 containers starting) left no carrier
 * for any other virtual thread of berthd until they ended.
 */
final class OutputCollector {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread reader;

    private OutputCollector(InputStream in) {
        this.reader = Thread.ofPlatform().daemon().name("berth-output-reader").stackSize(128 * 1024).unstarted(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (bytes) {
                        bytes.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the pipe broke: what arrived so far is all there is
            }
        });
    }

    static OutputCollector start(InputStream in) {
        OutputCollector c = new OutputCollector(in);
        c.reader.start();
        return c;
    }

    /** The output, trimmed, waiting up to {@code grace} for the pipe's end (a leftover child may keep it open). */
    String text(Duration grace) throws InterruptedException {
        reader.join(grace);
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8).trim();
        }
    }

    /** ": OUTPUT" for an error message, or "" when there was none. */
    String describe(Duration grace) throws InterruptedException {
        String t = text(grace);
        return t.isEmpty() ? "" : ": " + t;
    }
}
