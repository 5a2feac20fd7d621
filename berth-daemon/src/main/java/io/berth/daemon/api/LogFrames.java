package io.berth.daemon.api;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

import io.berth.runtime.LogEntry;
import io.berth.runtime.LogReader;

/**
 * Docker's multiplexed framing ({@link StreamFraming}) for a log replay, built by one thread in one native buffer:
 * the log reader copies records' data straight into it ({@link LogReader.CopySink}), consecutive records of a stream
 * merged into frames of up to 64 KiB (frame boundaries mean nothing in Docker's protocol; a frame per line made the
 * docker CLI spend seconds demultiplexing), and the buffer, several frames, goes out in one write when full or when
 * the reader has caught up: to a socket, straight from the native memory. No lock per record, unlike the live
 * streams' framing, which two pumps share. Closing frees the buffer.
 */
final class LogFrames implements LogReader.CopySink, AutoCloseable {
    private static final int HEADER = 8;
    private static final int MAX_FRAME = 64 * 1024;
    private static final int BUFFER = 512 * 1024;
    /** A run is begun in the open frame only if this much room is left; else in a new frame (or buffer). */
    private static final int MIN_RUN = 4096;

    private final WritableByteChannel out;
    private final boolean raw;
    private final boolean stdout;
    private final boolean stderr;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buf = arena.allocate(BUFFER, Long.BYTES);
    /** Bytes of buf in use, the open frame's included. */
    private int used;
    /** Where the open frame's header goes, or -1 when no frame is open. */
    private int frameStart = -1;
    private int frameStream;

    /**
     * @param raw    a terminal's log: no headers, one stream
     * @param stdout whether stdout's records are wanted (by {@link #accept} and the copier)
     * @param stderr whether stderr's are
     */
    LogFrames(WritableByteChannel out, boolean raw, boolean stdout, boolean stderr) {
        this.out = out;
        this.raw = raw;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static int streamId(LogEntry.Stream stream) {
        return stream == LogEntry.Stream.STDERR ? StreamFraming.STDERR : StreamFraming.STDOUT;
    }

    @Override
    public boolean wants(LogEntry.Stream stream) {
        return stream == LogEntry.Stream.STDERR ? stderr : stdout;
    }

    @Override
    public boolean accept(LogEntry.Stream stream, long epochNanos, MemorySegment data, long off, int len, boolean partial) {
        if (!wants(stream)) return true;
        try {
            append(streamId(stream), data, off, len);
            return true;
        } catch (IOException e) {
            return false; // the client went away
        }
    }

    @Override
    public MemorySegment buffer() {
        return buf;
    }

    @Override
    public long begin(LogEntry.Stream stream) {
        int id = streamId(stream);
        try {
            if (frameStart >= 0 && (id != frameStream || limit() - used < MIN_RUN)) closeFrame();
            if (BUFFER - used < HEADER + MIN_RUN) writeOut();
        } catch (IOException e) {
            return -1; // the client went away
        }
        if (frameStart < 0) openFrame(id);
        return used;
    }

    @Override
    public long limit() {
        return Math.min(BUFFER, frameStart + (raw ? 0 : HEADER) + MAX_FRAME);
    }

    @Override
    public void end(long end) {
        used = (int) end;
    }

    void append(int stream, MemorySegment data, long off, int len) throws IOException {
        while (len > 0) {
            int n = room(stream, len);
            MemorySegment.copy(data, off, buf, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    void append(int stream, byte[] data, int off, int len) throws IOException {
        append(stream, MemorySegment.ofArray(data), off, len);
    }

    /** Opens or continues a frame of {@code stream} with room for up to {@code len} bytes; how many fit. */
    private int room(int stream, int len) throws IOException {
        if (frameStart >= 0 && (stream != frameStream || used >= limit())) closeFrame();
        if (frameStart < 0) {
            if (BUFFER - used < HEADER + 1) writeOut();
            openFrame(stream);
        }
        int fits = (int) Math.min(len, limit() - used);
        if (fits == 0) {
            writeOut();
            return room(stream, len);
        }
        return fits;
    }

    private void openFrame(int stream) {
        frameStart = used;
        frameStream = stream;
        if (!raw) used += HEADER;
    }

    private void closeFrame() {
        if (frameStart < 0) return;
        if (!raw && used == frameStart + HEADER) {
            used = frameStart; // a run that took nothing: no empty frame
        } else if (!raw) {
            int size = used - frameStart - HEADER;
            // Docker's header: the stream, three zero bytes, the size in big-endian
            buf.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), frameStart,
                    ((long) frameStream << 56) | (size & 0xffffffffL));
        }
        frameStart = -1;
    }

    private void writeOut() throws IOException {
        closeFrame();
        if (used > 0) {
            ByteBuffer b = buf.asSlice(0, used).asByteBuffer();
            while (b.hasRemaining()) out.write(b);
        }
        used = 0;
    }

    /** Sends everything appended so far. */
    void flush() throws IOException {
        writeOut();
    }

    @Override
    public void close() {
        arena.close();
    }
}
