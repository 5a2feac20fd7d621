package io.berth.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Splits Docker's multiplexed stdout/stderr stream. Each frame is an 8-byte header
 * {@code [stream, 0, 0, 0, size(uint32 big-endian)]} followed by {@code size} payload bytes; stream
 * 0 is stdin (written to stdout, as docker does), 1 stdout, 2 stderr, 3 a system error message.
 * Containers with a TTY send a raw stream without frames.
 */
public final class StreamDemux {

    /** One decoded frame. */
    public record Frame(int stream, byte[] payload) {}

    private StreamDemux() {}

    /** Reads the next frame, or null at a clean end of stream. */
    public static Frame readFrame(InputStream in) throws IOException {
        byte[] header = in.readNBytes(8);
        if (header.length == 0) {
            return null;
        }
        if (header.length < 8) {
            throw new IOException("truncated stream frame header");
        }
        int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
        if (size < 0) {
            throw new IOException("stream frame too large");
        }
        byte[] payload = in.readNBytes(size);
        if (payload.length < size) {
            throw new IOException("truncated stream frame");
        }
        return new Frame(header[0] & 0xff, payload);
    }

    /** Copies a framed stream to stdout and stderr until end of stream; a system-error frame becomes an exception. */
    public static void demux(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        for (Frame frame = readFrame(in); frame != null; frame = readFrame(in)) {
            switch (frame.stream()) {
                case 0, 1 -> {
                    stdout.write(frame.payload());
                    stdout.flush();
                }
                case 2 -> {
                    stderr.write(frame.payload());
                    stderr.flush();
                }
                case 3 -> throw new IOException(new String(frame.payload(), java.nio.charset.StandardCharsets.UTF_8));
                default -> throw new IOException("unknown stream id " + frame.stream() + " in multiplexed stream");
            }
        }
    }

    /** Copies an unframed (TTY) stream as it arrives. */
    public static void raw(InputStream in, OutputStream stdout) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            stdout.write(buffer, 0, n);
            stdout.flush();
        }
    }

    /** Copies either way, depending on whether the container has a TTY. */
    public static void copy(boolean tty, InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        if (tty) {
            raw(in, stdout);
        } else {
            demux(in, stdout, stderr);
        }
    }
}
