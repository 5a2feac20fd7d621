package io.berth.runtime;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads a child's output pipe to its end into a bounded {@link PacketInputStream}, on a platform thread of its own.
 * Readers of the stream park (a virtual thread's carrier is free) where a virtual thread reading the pipe through a
 * FileInputStream would hold its carrier for as long as the child writes nothing (see OutputCollector); the bound
 * keeps a child that writes faster than it is read blocked on its pipe, as it would be without the pump. The threads
 * are pooled: creating two platform threads per `docker exec` cost more on its path (≈ 2 ms each in an strace under
 * load) than the launcher process the pumps replaced.
 */
final class PipePump {
    private static final int CHUNK = 32 * 1024;
    /** Chunks waiting for the reader: up to 512 KiB besides the pipe's own 64 KiB. */
    private static final int CAPACITY = 16;

    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("berth-pipe-pump-", 0).stackSize(128 * 1024).factory());

    private PipePump() {}

    /**
     * Takes over {@code readFd} (the read end of a pipe whose write end the child holds; closed here) and returns
     * the stream of what the child writes to it, ended when every writer has closed the pipe.
     */
    static PacketInputStream start(int readFd) throws IOException {
        InputStream in;
        try {
            in = new FileInputStream("/proc/self/fd/" + readFd);
        } finally {
            LinuxCalls.close(readFd);
        }
        PacketInputStream out = new PacketInputStream(CAPACITY);
        PUMPS.execute(() -> {
            byte[] buf = new byte[CHUNK];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) out.put(Arrays.copyOf(buf, n));
            } catch (IOException ignored) {
                // the pipe broke: what arrived so far is all there is
            } catch (InterruptedException ignored) {
                // nothing interrupts the pool's threads; the stream ends below either way
            } finally {
                out.end();
            }
        });
        return out;
    }
}
