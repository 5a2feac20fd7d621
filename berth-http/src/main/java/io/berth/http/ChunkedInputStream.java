package io.berth.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes an HTTP/1.1 chunked body: ends at the zero-length chunk, whose trailer fields are read and dropped.
 * Closing it closes the underlying stream.
 */
public final class ChunkedInputStream extends BlockInputStream {
    private final InputStream in;
    private long remainingInChunk;
    private boolean finished;

    public ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    protected int readBlock(byte[] b, int off, int len) throws IOException {
        if (finished) {
            return -1;
        }
        if (remainingInChunk == 0) {
            remainingInChunk = nextChunkSize();
            if (remainingInChunk == 0) {
                while (!HttpLines.readLine(in).isEmpty()) {
                    // trailer fields carry nothing berth uses
                }
                finished = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remainingInChunk));
        if (n < 0) {
            throw new IOException("connection closed inside a chunk");
        }
        remainingInChunk -= n;
        if (remainingInChunk == 0 && !HttpLines.readLine(in).isEmpty()) {
            throw new IOException("malformed chunk terminator");
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = HttpLines.readLine(in);
        int semicolon = line.indexOf(';');
        String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) {
                throw new NumberFormatException("negative");
            }
            return size;
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size: " + line, e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
