package io.berth.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Decodes an HTTP/1.1 chunked body: ends at the zero-length chunk, whose trailer fields are read and dropped.
 * Closing it closes the underlying stream.
 * <p>
 * Strict as Go's reader, since a lenient one is where request smuggling starts: a chunk size is 1 to 15 hex
 * digits (no sign, no {@code 0x}, no whitespace but before a {@code ;extension}), every line ends with CRLF and
 * chunk data with exactly CRLF, trailers are bounded. A failure is an {@link HttpFramingException} (400), and it
 * sticks: every later read throws it again, so nothing reads on into bytes whose framing is lost.
 */
public final class ChunkedInputStream extends BlockInputStream {
    /** As Go's {@code maxLineLength} for chunk-size lines; an extension longer than this is no real client's. */
    private static final int MAX_SIZE_LINE = 4096;
    /** All trailer lines together. */
    private static final int MAX_TRAILERS = HttpLines.MAX_LINE;
    private static final Pattern SIZE = Pattern.compile("[0-9A-Fa-f]{1,15}");
    private static final Pattern TRAILER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\\t\\x20-\\x7e\\x80-\\xff]*");

    private final InputStream in;
    private long remainingInChunk;
    private boolean finished;
    private IOException failure;

    public ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    protected int readBlock(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            return readFramed(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    private int readFramed(byte[] b, int off, int len) throws IOException {
        if (finished) {
            return -1;
        }
        if (remainingInChunk == 0) {
            remainingInChunk = nextChunkSize();
            if (remainingInChunk == 0) {
                skipTrailers();
                finished = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remainingInChunk));
        if (n < 0) {
            throw new HttpFramingException(400, "connection closed inside a chunk");
        }
        remainingInChunk -= n;
        if (remainingInChunk == 0 && (in.read() != '\r' || in.read() != '\n')) {
            throw new HttpFramingException(400, "chunk data not followed by CRLF");
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = line(MAX_SIZE_LINE);
        int semicolon = line.indexOf(';');
        String hex = semicolon < 0 ? line : line.substring(0, semicolon).stripTrailing();
        if (!SIZE.matcher(hex).matches() || (semicolon >= 0 && hasControl(line.substring(semicolon)))) {
            throw new HttpFramingException(400, "malformed chunk size: " + escape(line));
        }
        return Long.parseLong(hex, 16);
    }

    private void skipTrailers() throws IOException {
        int budget = MAX_TRAILERS;
        for (String line = line(budget); !line.isEmpty(); line = line(budget)) {
            // trailer fields carry nothing berth uses, but they are still fields: a line that is none breaks framing
            if (!TRAILER.matcher(line).matches()) {
                throw new HttpFramingException(400, "malformed trailer line: " + escape(line));
            }
            budget -= line.length() + 2;
        }
    }

    private String line(int limit) throws IOException {
        try {
            return HttpLines.readLine(in, Math.max(limit, 2), true);
        } catch (java.io.EOFException e) {
            throw new HttpFramingException(400, "connection closed before the last chunk");
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
    }

    private static String escape(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder out = new StringBuilder();
        cut.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c)));
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
