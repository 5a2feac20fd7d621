package io.berth.client;

import java.io.IOException;
import java.io.InputStream;

/** Decodes an HTTP/1.1 chunked body; trailers are read and dropped. */
final class ChunkedInputStream extends InputStream {

    private final InputStream in;
    private long remainingInChunk;
    private boolean finished;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (finished) {
            return -1;
        }
        if (remainingInChunk == 0) {
            remainingInChunk = nextChunkSize();
            if (remainingInChunk == 0) {
                while (!HttpHead.readLine(in).isEmpty()) {
                    // trailer fields carry nothing the client uses
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
        if (remainingInChunk == 0) {
            String crlf = HttpHead.readLine(in);
            if (!crlf.isEmpty()) {
                throw new IOException("malformed chunk terminator");
            }
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = HttpHead.readLine(in);
        int semicolon = line.indexOf(';');
        String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
        if (hex.isEmpty()) {
            throw new IOException("connection closed before chunk size");
        }
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size: " + line, e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
