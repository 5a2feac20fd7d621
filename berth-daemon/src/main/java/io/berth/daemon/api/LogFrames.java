package io.berth.daemon.api;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;

/**
 * Docker's multiplexed framing ({@link StreamFraming}) for a log replay, built by one thread: records are copied
 * straight from the log reader's view of its file into one buffer, consecutive records of a stream merged into
 * frames of up to 64 KiB (frame boundaries mean nothing in Docker's protocol; a frame per line made the docker
 * CLI spend seconds demultiplexing), and the buffer, several frames, goes out in one write when full or when the
 * reader has caught up. No lock per record, unlike the live streams' framing, which two pumps share.
 */
final class LogFrames {
    private static final int HEADER = 8;
    private static final int MAX_FRAME = 64 * 1024;
    private static final int BUFFER = 512 * 1024;

    private final OutputStream out;
    private final boolean raw;
    private final byte[] buf = new byte[BUFFER];
    private final MemorySegment bufSegment = MemorySegment.ofArray(buf);
    /** Bytes of buf in use, the open frame's included. */
    private int used;
    /** Where the open frame's header goes, or -1 when no frame is open. */
    private int frameStart = -1;
    private int frameStream;

    LogFrames(OutputStream out, boolean raw) {
        this.out = out;
        this.raw = raw;
    }

    void append(int stream, MemorySegment data, long off, int len) throws IOException {
        while (len > 0) {
            int n = room(stream, len);
            MemorySegment.copy(data, off, bufSegment, used, n);
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
        if (frameStart >= 0 && (stream != frameStream || used - frameStart - HEADER >= MAX_FRAME)) closeFrame();
        if (frameStart < 0) {
            if (BUFFER - used < HEADER + 1) writeOut();
            frameStart = used;
            frameStream = stream;
            if (!raw) used += HEADER;
        }
        int fits = Math.min(len, Math.min(BUFFER - used, MAX_FRAME - (used - frameStart - (raw ? 0 : HEADER))));
        if (fits == 0) {
            writeOut();
            return room(stream, len);
        }
        return fits;
    }

    private void closeFrame() {
        if (frameStart < 0) return;
        if (!raw) {
            int size = used - frameStart - HEADER;
            buf[frameStart] = (byte) frameStream;
            buf[frameStart + 1] = 0;
            buf[frameStart + 2] = 0;
            buf[frameStart + 3] = 0;
            buf[frameStart + 4] = (byte) (size >>> 24);
            buf[frameStart + 5] = (byte) (size >>> 16);
            buf[frameStart + 6] = (byte) (size >>> 8);
            buf[frameStart + 7] = (byte) size;
        }
        frameStart = -1;
    }

    private void writeOut() throws IOException {
        closeFrame();
        if (used > 0) out.write(buf, 0, used);
        used = 0;
    }

    /** Sends everything appended so far. */
    void flush() throws IOException {
        writeOut();
        out.flush();
    }
}
