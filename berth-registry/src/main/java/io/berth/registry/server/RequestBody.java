package io.berth.registry.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read with suspicion: it is streamed (never buffered whole), its bytes are counted, and a body
 * that ends before the announced length (a dropped connection, a lying Content-Length) or runs past it is a
 * {@code BLOB_UPLOAD_INVALID}, so the caller discards what it wrote.
 */
final class RequestBody {
    private final InputStream raw;
    private final long expected;
    private long count;

    /** {@code expected} is the length the client announced, or -1 when it did not (chunked encoding). */
    RequestBody(InputStream raw, long expected) {
        this.raw = raw;
        this.expected = expected;
    }

    InputStream stream() {
        return new FilterInputStream(raw) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n;
                try {
                    n = in.read(b, off, len);
                } catch (IOException e) {
                    throw incomplete("the request body broke off after " + count + " bytes: " + e.getMessage());
                }
                if (n > 0) {
                    count += n;
                    if (expected >= 0 && count > expected) {
                        throw incomplete("the request body is longer than the announced " + expected + " bytes");
                    }
                }
                return n;
            }
        };
    }

    /** Throws unless the whole announced body arrived; call after reading to the end. */
    void checkComplete() {
        if (expected >= 0 && count != expected) {
            throw incomplete("the request body ended after " + count + " of " + expected + " bytes");
        }
    }

    long count() {
        return count;
    }

    private static RegistryException incomplete(String message) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, message);
    }
}
